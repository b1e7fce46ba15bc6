// OpenAPI descriptions of the notifier's views (libs/contracts NotificationView, NotificationPage).
import { ApiProperty } from '@nestjs/swagger';
import { NotificationKind, RunStatus, RunType } from '@policyvault/contracts';
import { SafeErrorResponse } from '../runs/run.response.js';

export class NotificationResponse {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ format: 'uuid', description: 'The caller.' }) userId: string;
  @ApiProperty({ format: 'uuid' }) tenantId: string;
  @ApiProperty({ enum: NotificationKind, enumName: 'NotificationKind', nullable: true, description: 'Null: a run transition; otherwise what it is about (the run fields are then null).' })
  kind: NotificationKind | null;
  @ApiProperty({ format: 'uuid', nullable: true }) runId: string | null;
  @ApiProperty({ enum: RunType, enumName: 'RunType', nullable: true }) runType: RunType | null;
  @ApiProperty({ enum: RunStatus, enumName: 'RunStatus', nullable: true, description: 'The transition it tells about.' }) status: RunStatus | null;
  @ApiProperty({ example: 'Backup set "Nightly" finished' }) title: string;
  @ApiProperty() body: string;
  @ApiProperty({ type: SafeErrorResponse, nullable: true, description: 'For failed and partial runs.' }) error: SafeErrorResponse | null;
  @ApiProperty({ example: 'https://policyvault.example/tenants/…/runs/…', description: 'The run detail in the admin UI (an endpoint disabled: the tenant page).' }) link: string;
  @ApiProperty({ format: 'date-time' }) createdAt: string;
  @ApiProperty({ format: 'date-time', nullable: true }) readAt: string | null;
}

export class NotificationPageResponse {
  @ApiProperty({ type: [NotificationResponse] }) items: NotificationResponse[];
  @ApiProperty({ type: String, nullable: true, description: 'Pass as `cursor` for the next page; null on the last page.' })
  nextCursor: string | null;
  @ApiProperty({ description: 'Unread notifications of the caller (in the `tenantId` filter when given), whatever the page.' })
  unreadCount: number;
}

export class MarkAllReadResponse {
  @ApiProperty({ description: 'Notifications this call marked read.' }) markedRead: number;
  @ApiProperty({ description: 'What is still unread for the caller, across all their tenants.' }) unreadCount: number;
}
