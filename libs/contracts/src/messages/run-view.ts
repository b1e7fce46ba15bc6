import type { SafeError } from '../safe-error.js';
import type { RunItemStatus, RunStatus } from '../runs/run-status.js';
import type { RunType } from '../runs/run-type.js';

export interface RunInitiator {
  userId: string;
  email: string;
}

export interface RunCounts {
  total: number;
  succeeded: number;
  failed: number;
  skipped: number;
}

/** A run as every service and the gateway see it. */
export interface RunView {
  id: string;
  tenantId: string;
  type: RunType;
  target: Record<string, unknown>;
  scope: Record<string, unknown>;
  status: RunStatus;
  counts: RunCounts;
  initiator: RunInitiator;
  summary: Record<string, unknown> | null;
  error: SafeError | null;
  cancelRequested: boolean;
  queuedAt: string;
  startedAt: string | null;
  finishedAt: string | null;
}

export interface RunItemView {
  runId: string;
  itemKey: string;
  status: RunItemStatus;
  label: string | null;
  outcome: string | null;
  error: SafeError | null;
  result: Record<string, unknown> | null;
  finishedAt: string;
}

export interface Page<T> {
  items: T[];
  /** Opaque cursor for the next page, or null on the last page. */
  nextCursor: string | null;
}
