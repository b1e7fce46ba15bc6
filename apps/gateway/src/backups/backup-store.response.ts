// OpenAPI descriptions of the backup store's views (libs/contracts backup-store.messages.ts). Each
// class implements its contract view, so a field added there fails to compile here until documented.
import { ApiProperty } from '@nestjs/swagger';
import type { BackupItemView, BackupSetStatus, CapturedReferences, BackupSetView, PolicyVersionSummary, PolicyVersionView, PolicyView } from '@policyvault/contracts';
import { OTHER_TENANT_RULE } from '../tenants/other-tenant.interceptor.js';

const BACKUP_SET_STATUSES: BackupSetStatus[] = ['capturing', 'complete', 'partial', 'failed'];
/** The 404 of every route naming a policy, version or backup set. */
export const NOT_IN_TENANT = `Not in this tenant. ${OTHER_TENANT_RULE}`;

const NEXT_CURSOR = { type: String, nullable: true, description: 'Pass as `cursor` for the next page; null on the last page.' } as const;

export class PolicyResponse implements PolicyView {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ format: 'uuid' }) tenantId: string;
  @ApiProperty({ description: "The object's id in the customer's Graph." }) graphId: string;
  @ApiProperty({ example: 'deviceConfiguration' }) policyType: string;
  @ApiProperty() displayName: string;
  @ApiProperty({ format: 'date-time' }) firstSeenAt: string;
  @ApiProperty({ format: 'date-time' }) lastSeenAt: string;
  @ApiProperty({ type: String, format: 'date-time', nullable: true, description: 'Set when an inventory sync no longer found the object in Graph.' })
  missingSince: string | null;
  @ApiProperty({ type: String, format: 'uuid', nullable: true }) latestVersionId: string | null;
}

export class PolicyPageResponse {
  @ApiProperty({ type: [PolicyResponse] }) items: PolicyResponse[];
  @ApiProperty(NEXT_CURSOR) nextCursor: string | null;
}

export class PolicyVersionSummaryResponse implements PolicyVersionSummary {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ format: 'uuid' }) policyId: string;
  @ApiProperty({ description: 'Hash of the canonical snapshot; equal hashes mean equal content.' }) contentHash: string;
  @ApiProperty({ format: 'date-time' }) capturedAt: string;
  @ApiProperty({ format: 'uuid' }) capturedByRunId: string;
  @ApiProperty() sizeBytes: number;
}

export class PolicyVersionPageResponse {
  @ApiProperty({ type: [PolicyVersionSummaryResponse] }) items: PolicyVersionSummaryResponse[];
  @ApiProperty(NEXT_CURSOR) nextCursor: string | null;
}

export class PolicyVersionResponse extends PolicyVersionSummaryResponse implements PolicyVersionView {
  @ApiProperty({ format: 'uuid' }) tenantId: string;
  @ApiProperty() graphId: string;
  @ApiProperty({ example: 'deviceConfiguration' }) policyType: string;
  @ApiProperty() displayName: string;
  @ApiProperty({
    type: 'object',
    additionalProperties: true,
    description: 'The object as Graph returned it, sub-resources embedded under their Graph names. A secret value (encrypted OMA-URI value) shows as { "secret": true }.',
  })
  snapshot: Record<string, unknown>;
}

export class BackupSetResponse implements BackupSetView {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ format: 'uuid' }) tenantId: string;
  @ApiProperty() name: string;
  @ApiProperty({ enum: BACKUP_SET_STATUSES, enumName: 'BackupSetStatus' }) status: BackupSetStatus;
  @ApiProperty() includeFoundations: boolean;
  @ApiProperty() itemCount: number;
  @ApiProperty({ format: 'uuid' }) createdByRunId: string;
  @ApiProperty({ type: String, format: 'uuid', nullable: true, description: 'Set when a backup schedule made the set.' })
  scheduleId: string | null;
  @ApiProperty({ format: 'date-time' }) createdAt: string;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) completedAt: string | null;
}

export class BackupSetPageResponse {
  @ApiProperty({ type: [BackupSetResponse] }) items: BackupSetResponse[];
  @ApiProperty(NEXT_CURSOR) nextCursor: string | null;
}

/** Without the snapshot: read one through GET /policy-versions/{versionId}. */
export class BackupItemResponse implements Omit<BackupItemView, 'snapshot'> {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ format: 'uuid' }) backupSetId: string;
  @ApiProperty({ format: 'uuid' }) policyId: string;
  @ApiProperty({ format: 'uuid' }) policyVersionId: string;
  @ApiProperty({ example: 'deviceConfiguration' }) policyType: string;
  @ApiProperty() graphId: string;
  @ApiProperty() displayName: string;
  @ApiProperty({ description: 'A foundation (assignment filter, scope tag), captured only when the set includes foundations.' }) isFoundation: boolean;
  @ApiProperty({ format: 'uuid' }) addedByRunId: string;
  @ApiProperty({ format: 'date-time' }) addedAt: string;
  @ApiProperty({ type: String, nullable: true, example: '#microsoft.graph.windows10GeneralConfiguration' }) odataType: string | null;
  @ApiProperty({
    type: 'object',
    additionalProperties: { type: 'object', additionalProperties: { type: 'string' } },
    example: { group: { '0b6c…': 'All laptops' }, scopeTag: { '3': 'EMEA' } },
    description:
      'Display names of what the snapshot references (group, scopeTag, filter, notificationTemplate), by id in the captured tenant, read at capture; a restore into another tenant maps them by name.',
  })
  references: CapturedReferences;
}

export class BackupItemPageResponse {
  @ApiProperty({ type: [BackupItemResponse] }) items: BackupItemResponse[];
  @ApiProperty(NEXT_CURSOR) nextCursor: string | null;
}
