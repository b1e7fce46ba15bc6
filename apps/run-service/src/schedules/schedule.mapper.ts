import type { BackupScheduleView } from '@policyvault/contracts';
import type { BackupScheduleEntity } from './backup-schedule.entity.js';
import type { ScheduleSettings } from './schedule-rules.js';

export function toScheduleSettings(schedule: BackupScheduleEntity): ScheduleSettings {
  return {
    name: schedule.name,
    enabled: schedule.enabled,
    frequency: schedule.frequency,
    daysOfWeek: schedule.daysOfWeek,
    timeOfDay: schedule.timeOfDay,
    timeZone: schedule.timeZone,
    policyTypes: schedule.policyTypes,
    keepLast: schedule.keepLast,
    includeFoundations: schedule.includeFoundations,
    action: schedule.action,
  };
}

export function toScheduleView(schedule: BackupScheduleEntity): BackupScheduleView {
  return {
    id: schedule.id,
    tenantId: schedule.tenantId,
    ...toScheduleSettings(schedule),
    nextRunAt: schedule.nextRunAt?.toISOString() ?? null,
    pausedAt: schedule.pausedAt?.toISOString() ?? null,
    createdAt: schedule.createdAt.toISOString(),
    updatedAt: schedule.updatedAt.toISOString(),
  };
}
