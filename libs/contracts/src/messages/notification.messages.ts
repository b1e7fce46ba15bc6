// The notifier's query API (request/reply, queue group "notifier"), for the gateway.
import { ArrayMaxSize, IsBoolean, IsOptional, IsUUID } from 'class-validator';
import type { SafeError } from '../safe-error.js';
import type { RunStatus } from '../runs/run-status.js';
import type { RunType } from '../runs/run-type.js';
import { PageRequest } from './run-rpc.messages.js';

export class ListNotificationsRequest extends PageRequest {
  @IsUUID('all')
  userId: string;

  /** The tenants the user may still see: notifications about any other tenant are left out. */
  @ArrayMaxSize(10_000)
  @IsUUID('all', { each: true })
  visibleTenantIds: string[];

  @IsOptional()
  @IsUUID('all')
  tenantId?: string;

  @IsOptional()
  @IsBoolean()
  unreadOnly?: boolean;
}

export class MarkNotificationReadRequest {
  @IsUUID('all')
  userId: string;

  @IsUUID('all')
  notificationId: string;

  @ArrayMaxSize(10_000)
  @IsUUID('all', { each: true })
  visibleTenantIds: string[];
}

export class MarkAllNotificationsReadRequest {
  @IsUUID('all')
  userId: string;

  @ArrayMaxSize(10_000)
  @IsUUID('all', { each: true })
  visibleTenantIds: string[];

  @IsOptional()
  @IsUUID('all')
  tenantId?: string;
}

/** What a notification that is not about a run tells (its `kind`; null: a run transition). */
export enum NotificationKind {
  /** A notification endpoint was disabled after repeated failed deliveries (each owner of the tenant). */
  EndpointDisabled = 'endpoint.disabled',
}

export interface NotificationView {
  id: string;
  userId: string;
  tenantId: string;
  /** Null: a run transition; otherwise what it is about (runId, runType and status are then null). */
  kind: NotificationKind | null;
  runId: string | null;
  runType: RunType | null;
  /** The transition it tells about: queued, running, or the terminal status. */
  status: RunStatus | null;
  title: string;
  body: string;
  /** For failed and partial runs: the run's safe error summary. */
  error: SafeError | null;
  /** `<UI_BASE_URL>/tenants/<tenantId>/runs/<runId>` (an endpoint disabled: the tenant's notification settings) */
  link: string;
  createdAt: string;
  readAt: string | null;
}

export interface NotificationPage {
  items: NotificationView[];
  nextCursor: string | null;
  unreadCount: number;
}

/** markRead answers with the notification as it now is; markAllRead with what changed. */
export type MarkNotificationReadReply = NotificationView;

export interface MarkAllNotificationsReadReply {
  markedRead: number;
  unreadCount: number;
}
