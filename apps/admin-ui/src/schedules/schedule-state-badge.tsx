import { Badge } from '@mantine/core';
import type { BackupScheduleView } from '../api/contracts';
import { scheduleState } from './schedule-labels';

/** The schedule's state as a filled badge; `prominent` beside the schedule page's heading (large, `schedule-state` for tests). */
export function ScheduleStateBadge({ schedule, prominent = false }: { schedule: Pick<BackupScheduleView, 'enabled' | 'pausedAt'>; prominent?: boolean }) {
  const state = scheduleState(schedule);
  return (
    <Badge color={state.color} variant="filled" size={prominent ? 'lg' : undefined} data-testid={prominent ? 'schedule-state' : undefined}>
      {state.label}
    </Badge>
  );
}
