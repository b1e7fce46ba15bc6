// The header progress widget's state: every active run of every tenant the user sees, from the user's
// live stream (the tenants it follows, a snapshot of their active runs on connect, then one event per
// transition or progress step), kept per tenant.
import type { RunStatusEvent, RunStatusValue, RunTypeValue, RunView } from '../api/contracts';

export interface ActiveRun {
  runId: string;
  tenantId: string;
  type: RunTypeValue;
  status: RunStatusValue;
  cancelRequested: boolean;
  total: number;
  done: number;
}

export type ActiveRunsState = ReadonlyMap<string, ActiveRun>;

export type ActiveRunsAction =
  /** The active runs of these tenants (their runs replace what was known of them). */
  | { kind: 'snapshot'; tenantIds: readonly string[]; runs: RunView[] }
  | { kind: 'event'; event: RunStatusEvent }
  /** The tenants followed now: runs of any other (access revoked, stream refused) are forgotten. */
  | { kind: 'following'; tenantIds: readonly string[] };

const ACTIVE: ReadonlySet<string> = new Set<RunStatusValue>(['queued', 'running']);

export function isActiveStatus(status: string): boolean {
  return ACTIVE.has(status);
}

/** A run (from the snapshot) or its event, as the widget keeps it. */
function toActiveRun(runId: string, run: Pick<RunView, 'tenantId' | 'type' | 'status' | 'cancelRequested' | 'counts'>): ActiveRun {
  const { tenantId, type, status, cancelRequested, counts } = run;
  return { runId, tenantId, type, status, cancelRequested, total: counts.total, done: counts.succeeded + counts.failed + counts.skipped };
}

export function activeRunsReducer(state: ActiveRunsState, action: ActiveRunsAction): ActiveRunsState {
  switch (action.kind) {
    case 'snapshot': {
      const covered = new Set(action.tenantIds);
      const next = new Map([...state].filter(([, run]) => !covered.has(run.tenantId)));
      for (const run of action.runs) {
        if (!isActiveStatus(run.status)) continue;
        next.set(run.id, toActiveRun(run.id, run));
      }
      return next;
    }
    case 'event': {
      const { event } = action;
      const next = new Map(state);
      if (!isActiveStatus(event.status)) {
        if (!next.delete(event.runId)) return state;
        return next;
      }
      next.set(event.runId, toActiveRun(event.runId, event));
      return next;
    }
    case 'following': {
      const followed = new Set(action.tenantIds);
      const next = new Map([...state].filter(([, run]) => followed.has(run.tenantId)));
      return next.size === state.size ? state : next;
    }
  }
}

/** 0–100; a run that does not know its total yet shows 0 (the bar is then drawn as indeterminate). */
export function percentDone(run: { total: number; done: number }): number {
  if (run.total <= 0) return 0;
  return Math.min(100, Math.round((run.done / run.total) * 100));
}
