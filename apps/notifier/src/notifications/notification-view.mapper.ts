import type { NotificationView, RunStatus, RunType, SafeError } from '@policyvault/contracts';

export interface NotificationRow {
  id: string;
  user_id: string;
  tenant_id: string;
  run_id: string;
  run_type: RunType;
  status: RunStatus;
  title: string;
  body: string;
  error: SafeError | null;
  link: string;
  created_at: Date;
  read_at: Date | null;
}

export function toNotificationView(row: NotificationRow): NotificationView {
  return {
    id: row.id,
    userId: row.user_id,
    tenantId: row.tenant_id,
    runId: row.run_id,
    runType: row.run_type,
    status: row.status,
    title: row.title,
    body: row.body,
    error: row.error ? { code: row.error.code, message: row.error.message } : null,
    link: row.link,
    createdAt: row.created_at.toISOString(),
    readAt: row.read_at ? row.read_at.toISOString() : null,
  };
}
