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

const allowedTransitions: Record<RunStatus, readonly RunStatus[]> = {
  [RunStatus.Queued]: [RunStatus.Running, ...TERMINAL_RUN_STATUSES],
  [RunStatus.Running]: TERMINAL_RUN_STATUSES,
  [RunStatus.Succeeded]: [],
  [RunStatus.Partial]: [],
  [RunStatus.Failed]: [],
  [RunStatus.Canceled]: [],
};

export function isTerminalRunStatus(status: RunStatus): boolean {
  return TERMINAL_RUN_STATUSES.includes(status);
}

/** Status only moves forward: queued → running → terminal; terminal states never change. */
export function canTransitionRun(from: RunStatus, to: RunStatus): boolean {
  return allowedTransitions[from].includes(to);
}

export enum RunItemStatus {
  Succeeded = 'succeeded',
  Failed = 'failed',
  Skipped = 'skipped',
}
