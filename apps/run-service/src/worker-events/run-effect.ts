import { RunStatus, itemReportsOf, type WorkerItemFinishedEvent, type WorkerItemReport, type WorkerRunFinishedEvent, type WorkerRunStartedEvent } from '@policyvault/contracts';
import type { RunningChange } from '../database/run-service.sql.js';
import type { RunEntity } from '../runs/run.entity.js';

/** A worker event and the worker that published it (its subject's last token); a run-finished event with its delivery count. */
export type WorkerEventOf =
  | { kind: 'started'; event: WorkerRunStartedEvent; worker: string }
  | { kind: 'item'; event: WorkerItemFinishedEvent; worker: string }
  | { kind: 'finished'; event: WorkerRunFinishedEvent; worker: string; deliveryCount: number };

/**
 * What a batch's run-started and item events (accepted, in arrival order; its run-finished events apply after) do to
 * a run that has not ended: its item
 * reports, in order, and the change that (still) makes it run — null when nothing changes. A run runs once it has
 * started or reported an item; it started at the earliest start its events report (they may arrive out of order:
 * while it was queued, its items' times count too); its planned items are the last started event's, its total
 * at least the planned items.
 */
export function effectOf(run: RunEntity, events: WorkerEventOf[]): { items: WorkerItemReport[]; running: RunningChange | null } {
  const items = events.flatMap((entry) => (entry.kind === 'item' ? itemReportsOf(entry.event) : []));
  const starts = events.flatMap((entry) => (entry.kind === 'started' ? [entry.event] : []));
  const queued = run.status === RunStatus.Queued;
  if (starts.length === 0 && !(queued && items.length > 0)) return { items, running: null };
  const reported = [...starts, ...(queued ? items : [])].map(({ occurredAt }) => occurredAt);
  const startedAt = reported.reduce((earliest, occurredAt) => earliestStart({ startedAt: earliest }, occurredAt), earliestStart(run, reported[0]));
  const plannedItems = starts.reduce<number | null>((planned, event) => event.plannedItems ?? planned, run.plannedItems);
  const totalItems = Math.max(run.totalItems, ...starts.map((event) => event.plannedItems ?? 0));
  const unchanged = !queued && startedAt.getTime() === run.startedAt?.getTime() && plannedItems === run.plannedItems && totalItems === run.totalItems;
  return { items, running: unchanged ? null : { id: run.id, startedAt, plannedItems, totalItems } };
}

/** A run started at the earliest start any of its events reports (they may arrive out of order). */
export function earliestStart(run: Pick<RunEntity, 'startedAt'>, occurredAt: string): Date {
  const reported = new Date(occurredAt);
  return run.startedAt && run.startedAt < reported ? run.startedAt : reported;
}

