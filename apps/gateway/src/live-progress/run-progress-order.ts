import { RunStatus } from '@policyvault/contracts';

const MAX_TRACKED_RUNS = 10_000;
const RECENT_EVENT_IDS = 8;

const STATUS_RANK: Record<RunStatus, number> = {
  [RunStatus.Queued]: 0,
  [RunStatus.Running]: 1,
  [RunStatus.Succeeded]: 2,
  [RunStatus.Partial]: 2,
  [RunStatus.Failed]: 2,
  [RunStatus.Canceled]: 2,
};

interface Position {
  rank: number;
  finished: number;
  recentEventIds: string[];
}

/** What a run's progress is made of, from an event or a run view. */
export interface RunProgress {
  runId: string;
  status: RunStatus;
  counts: { succeeded: number; failed: number; skipped: number };
  eventId?: string;
}

/**
 * Per connection: whether an event moves its run forward. run-service's relay replicas may deliver
 * two events of one run slightly out of order; each event carries the whole picture, so one that is
 * behind what the client already has (a lower status, or fewer finished items at the same status)
 * would only make its view go backwards, and is dropped. Repeats of a recent event id are dropped
 * too. Bounded: the least recently moved runs are forgotten first.
 */
export class RunProgressOrder {
  private readonly positions = new Map<string, Position>();

  /** True when the event should be sent (and records it as the run's position). */
  accept(progress: RunProgress): boolean {
    // Called once per event per connection: no allocation on the common path.
    const rank = STATUS_RANK[progress.status];
    const finished = progress.counts.succeeded + progress.counts.failed + progress.counts.skipped;
    const last = this.positions.get(progress.runId);
    if (last) {
      if (rank < last.rank || (rank === last.rank && finished < last.finished)) return false;
      if (progress.eventId !== undefined && last.recentEventIds.includes(progress.eventId)) return false;
      last.rank = rank;
      last.finished = finished;
      if (progress.eventId !== undefined) {
        if (last.recentEventIds.length >= RECENT_EVENT_IDS) last.recentEventIds.shift();
        last.recentEventIds.push(progress.eventId);
      }
      // Most recently moved last: the first key is the one to forget.
      this.positions.delete(progress.runId);
      this.positions.set(progress.runId, last);
      return true;
    }
    if (this.positions.size >= MAX_TRACKED_RUNS) this.positions.delete(this.positions.keys().next().value as string);
    this.positions.set(progress.runId, { rank, finished, recentEventIds: progress.eventId === undefined ? [] : [progress.eventId] });
    return true;
  }
}
