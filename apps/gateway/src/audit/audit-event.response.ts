// OpenAPI description of run-service's audit event view (libs/contracts audit.messages.ts).
import { ApiProperty } from '@nestjs/swagger';
import type { AuditEventView } from '@policyvault/contracts';

export class AuditEventResponse implements AuditEventView {
  @ApiProperty() id: string;
  @ApiProperty({ format: 'uuid' }) tenantId: string;
  @ApiProperty({ example: 'owner@contoso.test', description: 'An email for people, `system:scheduler` for the dispatcher.' }) actor: string;
  @ApiProperty({ type: String, format: 'uuid', nullable: true }) actorUserId: string | null;
  @ApiProperty({
    example: 'restore.executed',
    description: 'e.g. restore.executed, backup_schedule.created / updated / deleted / dispatched / slot_skipped / retention_applied',
  })
  action: string;
  @ApiProperty({ type: String, format: 'uuid', nullable: true }) runId: string | null;
  @ApiProperty({ type: String, format: 'uuid', nullable: true }) scheduleId: string | null;
  @ApiProperty({ type: 'object', additionalProperties: true, description: 'Secret-free details: item ids and outcomes, counts, removed backup sets…' })
  details: Record<string, unknown>;
  @ApiProperty({ format: 'date-time' }) occurredAt: string;
}

export class AuditEventPageResponse {
  @ApiProperty({ type: [AuditEventResponse] }) items: AuditEventResponse[];
  @ApiProperty({ type: String, nullable: true, description: 'Pass as `cursor` for the next page; null on the last page.' }) nextCursor: string | null;
}
