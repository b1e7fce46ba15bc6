import type { BackupScheduleView, DayOfWeek, ScheduleFrequency } from '@policyvault/contracts';
import type { ScheduleSettings } from './schedule-rules.js';

export interface ScheduleRow {
  id: string;
  tenant_id: string;
  tenant_directory_id: string;
  name: string;
  enabled: boolean;
  frequency: ScheduleFrequency;
  days_of_week: DayOfWeek[];
  time_of_day: string;
  time_zone: string;
  policy_types: string[];
  keep_last: number;
  include_foundations: boolean;
  next_run_at: Date | null;
  created_by_user_id: string;
  created_by_email: string;
  created_at: Date;
  updated_at: Date;
}

export function toScheduleSettings(row: ScheduleRow): ScheduleSettings {
  return {
    name: row.name,
    enabled: row.enabled,
    frequency: row.frequency,
    daysOfWeek: row.days_of_week,
    timeOfDay: row.time_of_day,
    timeZone: row.time_zone,
    policyTypes: row.policy_types,
    keepLast: row.keep_last,
    includeFoundations: row.include_foundations,
  };
}

export function toScheduleView(row: ScheduleRow): BackupScheduleView {
  return {
    id: row.id,
    tenantId: row.tenant_id,
    ...toScheduleSettings(row),
    nextRunAt: row.next_run_at?.toISOString() ?? null,
    createdAt: row.created_at.toISOString(),
    updatedAt: row.updated_at.toISOString(),
  };
}
