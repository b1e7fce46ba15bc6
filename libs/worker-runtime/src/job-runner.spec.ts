import pino from 'pino';
import { RunType, SafeErrorCode, WorkerRunOutcome, type RunCommand } from '@policyvault/contracts';
import { GraphError, ReadOnlyViolationError, type GraphClientFactory, type GraphWorkerConfig } from '@policyvault/graph';
import type { CommandContext, RunEventPublisher } from '@policyvault/platform';
import { forEachLimited } from './for-each-limited.js';
import { JobRunner } from './job-runner.js';
import { PostponeRun, graphFailure } from './postpone-run.js';

const command: RunCommand = {
  runId: '9a4a0b4e-0000-4000-8000-0000000000aa',
  tenantId: '0b0e3c1e-6a2f-4c1e-9d4c-3f1a2b3c4daa',
  tenantDirectoryId: '7c1f2a3b-4d5e-4f60-8a71-92b3c4d5e6aa',
  type: RunType.InventorySync,
  target: {},
  scope: { policyTypes: ['deviceConfiguration'] },
  initiator: { userId: '9a4a0b4e-0000-4000-8000-0000000000cc', email: 'operator@contoso.test' },
  queuedAt: new Date().toISOString(),
} as RunCommand;

/** A fake CommandContext whose events land in arrays and whose cancel flag the test flips. */
function fakeContext(deliveryCount = 1) {
  const items: string[] = [];
  const finished: unknown[][] = [];
  const state = { cancelRequested: false };
  const shutdown = new AbortController();
  const events = {
    runStarted: async () => undefined,
    itemFinished: async (item: { itemKey: string }) => void items.push(item.itemKey),
    runFinished: async (...args: unknown[]) => void finished.push(args),
  } as unknown as RunEventPublisher;
  const context: CommandContext = {
    deliveryCount,
    events,
    heartbeat: () => undefined,
    signal: shutdown.signal,
    isCancelRequested: async () => state.cancelRequested,
  };
  return { context, items, finished, state, shutdown };
}

const readOnlyClients: boolean[] = [];
const factory = { forTenant: (_id: string, options: { readOnly?: boolean } = {}) => (readOnlyClients.push(options.readOnly ?? false), {}) } as unknown as GraphClientFactory;
const runner = new JobRunner(pino({ level: 'silent' }), factory, { WORKER_ID: 'test', RETRY_DELAYS_MS: [1000, 5000, 15_000] } as GraphWorkerConfig);

describe('JobRunner', () => {
  it('hands the handler its validated target and scope and a client read-only when asked', async () => {
    const { context } = fakeContext();
    let scope: unknown;
    const outcome = await runner.run<object, { policyTypes?: string[] }>(command, context, async (job) => void (scope = job.scope), { readOnly: true });
    expect(outcome).toEqual({ kind: 'done' });
    expect(scope).toEqual({ policyTypes: ['deviceConfiguration'] });
    expect(readOnlyClients.at(-1)).toBe(true);
  });

  it("rejects a command whose target or scope does not fit its run type's shape", async () => {
    const { context } = fakeContext();
    let called = false;
    const work = async () => void (called = true);
    expect(await runner.run({ ...command, target: { policyId: 'x' } }, context, work)).toEqual({ kind: 'reject', reason: 'invalid command: target.policyId: property policyId should not exist' });
    expect(await runner.run({ ...command, scope: { policyTypes: ['no spaces'] } }, context, work)).toMatchObject({ kind: 'reject', reason: expect.stringMatching(/^invalid command: scope.policyTypes: /) });
    expect(called).toBe(false);
  });

  it('a cancel at a checkpoint ends the run canceled with the items so far and the summary the handler gave', async () => {
    const { context, items, finished, state } = fakeContext();
    const outcome = await runner.run(command, context, async (job) => {
      job.onCanceled(() => ({ backupSetId: 'set-1' }));
      await job.progress.started(6);
      await forEachLimited(
        [1, 2, 3, 4, 5, 6],
        2,
        async (item) => {
          await job.progress.succeeded(`item:${item}`, `item ${item}`, 'done');
          if (item === 3) state.cancelRequested = true;
        },
        job.checkpoint,
      );
      await job.progress.finish();
    });
    expect(outcome).toEqual({ kind: 'done' });
    // Items 1-3 (and the one in flight beside item 3) finished; none started after the cancel was seen.
    expect(items.length).toBeGreaterThanOrEqual(3);
    expect(items.length).toBeLessThan(6);
    expect(finished).toEqual([
      [WorkerRunOutcome.Canceled, items.length, { summary: { workerId: 'test', succeeded: items.length, failed: 0, skipped: 0, canceled: true, backupSetId: 'set-1' } }],
    ]);
  });

  it('PostponeRun becomes a retry after the delay it names; a transient Graph failure waits RETRY_DELAYS_MS at its delivery', async () => {
    expect(await runner.run(command, fakeContext().context, async () => Promise.reject(new PostponeRun(2500, 'later')))).toEqual({ kind: 'retry', delayMs: 2500, reason: 'later' });
    const transient = new GraphError({ code: SafeErrorCode.GraphThrottled, httpStatus: 429, transient: true });
    const throwTransient = async (job: { retryDelayMs: number }) => void graphFailure(transient, job.retryDelayMs);
    expect(await runner.run(command, fakeContext(2).context, throwTransient)).toMatchObject({ kind: 'retry', delayMs: 5000 });
    expect(await runner.run(command, fakeContext(9).context, throwTransient)).toMatchObject({ kind: 'retry', delayMs: 15_000 });
  });

  it('a shutdown at a checkpoint hands the command back at once', async () => {
    const { context, shutdown, finished } = fakeContext();
    shutdown.abort();
    expect(await runner.run(command, context, (job) => job.checkpoint())).toEqual({ kind: 'retry', delayMs: 0, reason: 'shutting down' });
    expect(finished).toEqual([]);
  });

  it('a write through the read-only client fails the run with graph_read_only_violation', async () => {
    const { context, finished } = fakeContext();
    const outcome = await runner.run(command, context, async () => {
      throw new ReadOnlyViolationError('PATCH');
    });
    expect(outcome).toEqual({ kind: 'done' });
    expect(finished).toEqual([[WorkerRunOutcome.Failed, 0, { error: { code: SafeErrorCode.GraphReadOnlyViolation, message: expect.any(String) }, summary: { workerId: 'test' } }]]);
  });

  it('anything else is a bug: rethrown for the consumer to retry with backoff', async () => {
    await expect(runner.run(command, fakeContext().context, async () => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
  });

  it('reports items with their status', async () => {
    const { context, finished } = fakeContext();
    await runner.run(command, context, async ({ progress }) => {
      await progress.failed('a', 'A', { code: SafeErrorCode.NotFound, message: 'gone' });
      await progress.finish();
    });
    expect(finished[0][0]).toBe(WorkerRunOutcome.Completed);
    expect(finished[0][2]).toEqual({ summary: { workerId: 'test', succeeded: 0, failed: 1, skipped: 0 } });
  });
});
