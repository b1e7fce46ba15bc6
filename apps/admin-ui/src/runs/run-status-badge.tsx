import { Badge } from '@mantine/core';
import type { RunStatusValue } from '../api/contracts';
import { RUN_STATUS_COLORS } from './run-labels';

/**
 * A run's status as a filled badge (the colours are chosen for filled badges' contrast); `prominent` beside the
 * heading of a page about the run (large, and found by tests as `run-status`), plain in a list.
 */
export function RunStatusBadge({ status, prominent = false }: { status: RunStatusValue; prominent?: boolean }) {
  return (
    <Badge color={RUN_STATUS_COLORS[status]} variant="filled" size={prominent ? 'lg' : undefined} data-testid={prominent ? 'run-status' : undefined}>
      {status}
    </Badge>
  );
}
