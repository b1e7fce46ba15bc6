export enum RunStatus {
  Queued = 'queued',
  Running = 'running',
  Succeeded = 'succeeded',
  Partial = 'partial',
  Failed = 'failed',
  Canceled = 'canceled',
}

export const ACTIVE_RUN_STATUSES: readonly RunStatus[] = [RunStatus.Queued, RunStatus.Running];
export const TERMINAL_RUN_STATUSES: readonly RunStatus[] = [
  RunStatus.Succeeded,
  RunStatus.Partial,
  RunStatus.Failed,
  RunStatus.Canceled,
];

export function isTerminalRunStatus(status: RunStatus): boolean {
  return TERMINAL_RUN_STATUSES.includes(status);
}

export enum RunItemStatus {
  Succeeded = 'succeeded',
  Failed = 'failed',
  Skipped = 'skipped',
}
