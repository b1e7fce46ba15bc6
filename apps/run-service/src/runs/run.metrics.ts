import { counter, histogram } from '@policyvault/platform';

// Run metrics, by run type (the registry's types: a bounded set) and status. No tenant label.

/** Starts asked for through `rpc.runs.start` (the gateway, fleet batches): a new run, or the active one reused. */
export const runStarts = counter({
  name: 'policyvault_run_starts_total',
  help: 'Run starts requested, by run type and result (started = a new run, reused = the active identical run answered).',
  labelNames: ['type', 'result'],
});

/**
 * Every run transition, counted when the outbox relay has put its status event on the stream: `queued` is
 * every run created (requests and schedules alike), the terminal statuses are the outcomes.
 */
export const runTransitions = counter({
  name: 'policyvault_run_transitions_total',
  help: 'Run transitions published, by run type and status (queued = runs created; succeeded, partial, failed, canceled = outcomes).',
  labelNames: ['type', 'status'],
});

/** From queued to ended (what the operator waited), observed when the terminal event is published. */
export const runDuration = histogram({
  name: 'policyvault_run_duration_seconds',
  help: 'Run duration from queued to ended, in seconds, by run type and terminal status.',
  labelNames: ['type', 'status'],
  buckets: [0.1, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300, 600, 1800, 3600, 7200, 21600],
});
