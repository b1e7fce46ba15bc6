import type { DataSource, EntityManager } from 'typeorm';
import { RunStatusEventKind, isTerminalRunStatus, type RunStatus, type RunType } from '@policyvault/contracts';
import { LAG_BUCKETS, histogram, metricsEnabled, sampledGauge } from '@policyvault/platform';
import { RunEntity } from '../runs/run.entity.js';
import { runDuration, runTransitions } from '../runs/run.metrics.js';
import { OutboxEntity } from './outbox.entity.js';

const outboxBacklog = sampledGauge({
  name: 'policyvault_outbox_backlog_messages',
  help: 'Outbox rows committed and not yet on the stream (read when scraped; every run-service replica reports the same table).',
});

const outboxOldestUnsent = sampledGauge({
  name: 'policyvault_outbox_oldest_unsent_seconds',
  help: 'Age of the oldest outbox row not yet on the stream, in seconds (0 when none).',
});

const commitToStream = histogram({
  name: 'policyvault_outbox_commit_to_stream_seconds',
  help: 'From an outbox row written (in the transaction of its change) to its message acknowledged by JetStream, in seconds.',
  buckets: LAG_BUCKETS,
});

/** The backlog gauges read the outbox (its partial index of unsent rows) when Prometheus scrapes. */
export function watchOutboxBacklog(database: DataSource): () => void {
  let cached: { at: number; backlog: Promise<{ count: number; oldestSeconds: number }> } | undefined;
  const read = () => {
    if (!cached || Date.now() - cached.at > 1000) {
      cached = {
        at: Date.now(),
        backlog: database
          .getRepository(OutboxEntity)
          .createQueryBuilder('outbox')
          .select('count(*)::int', 'count')
          .addSelect('coalesce(extract(epoch FROM clock_timestamp() - min(outbox.createdAt)), 0)::float8', 'oldest')
          .where('outbox.sentAt IS NULL')
          .getRawOne<{ count: number; oldest: number }>()
          .then((row) => ({ count: Number(row?.count ?? 0), oldestSeconds: Number(row?.oldest ?? 0) })),
      };
    }
    return cached.backlog;
  };
  const removers = [
    outboxBacklog.addSource(async () => [{ labels: {}, value: (await read()).count }]),
    outboxOldestUnsent.addSource(async () => [{ labels: {}, value: (await read()).oldestSeconds }]),
  ];
  return () => removers.forEach((remove) => remove());
}

type RelayedRow = Pick<OutboxEntity, 'payload'>;

/**
 * What a relayed batch measures, read inside its transaction and recorded once it committed: the commit →
 * stream lag of each row, each run transition by type and status, and the duration of each run that ended.
 */
export async function measureRelayed(manager: EntityManager, rows: RelayedRow[], lagSeconds: number[]): Promise<() => void> {
  if (!metricsEnabled()) return () => undefined;
  const transitions = rows
    .map((row) => row.payload as { kind?: unknown; runId?: unknown; type?: RunType; status?: RunStatus })
    .filter((event) => event.kind === RunStatusEventKind.Transition && typeof event.runId === 'string' && event.type && event.status);
  const ended = transitions.filter((event) => isTerminalRunStatus(event.status!)).map((event) => event.runId as string);
  const durations =
    ended.length > 0
      ? await manager
          .getRepository(RunEntity)
          .createQueryBuilder('run')
          .select('run.id', 'id')
          .addSelect('extract(epoch FROM run.finishedAt - run.queuedAt)::float8', 'seconds')
          .where('run.id IN (:...ids)', { ids: ended })
          .andWhere('run.finishedAt IS NOT NULL')
          .getRawMany<{ id: string; seconds: number }>()
      : [];
  const secondsByRun = new Map(durations.map((row) => [row.id, Number(row.seconds)]));
  return () => {
    for (const lag of lagSeconds) commitToStream.observe({}, lag);
    for (const event of transitions) {
      runTransitions.inc({ type: event.type!, status: event.status! });
      const seconds = secondsByRun.get(event.runId as string);
      if (seconds !== undefined) runDuration.observe({ type: event.type!, status: event.status! }, seconds);
    }
  };
}
