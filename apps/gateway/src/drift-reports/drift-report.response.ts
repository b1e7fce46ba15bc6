// OpenAPI descriptions of the restore-worker's drift report views (libs/contracts drift.messages.ts).
// Each class implements its contract view, so a field added there fails to compile here until documented.
import { ApiProperty } from '@nestjs/swagger';
import { DRIFT_ITEM_STATUSES, type DriftCounts, type DriftItemStatus, type DriftItemView, type DriftReportPage, type DriftReportView, type DriftStatus, type Page } from '@policyvault/contracts';
import { FieldDifferenceResponse } from '../restore-previews/restore-preview.response.js';

export class DriftCountsResponse implements DriftCounts {
  @ApiProperty({ description: 'Live objects of the baseline\'s policy types that the baseline does not hold.' }) added: number;
  @ApiProperty({ description: 'Baseline policies no longer live.' }) removed: number;
  @ApiProperty({ description: 'Baseline policies whose live object differs.' }) changed: number;
  @ApiProperty() unchanged: number;
}

export class DriftReportResponse implements DriftReportView {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ format: 'uuid' }) tenantId: string;
  @ApiProperty({ format: 'uuid', description: 'The drift.check run that made it.' }) runId: string;
  @ApiProperty({ format: 'uuid', description: 'The backup set the live tenant was compared with.' }) baselineBackupSetId: string;
  @ApiProperty({ enum: ['running', 'complete'] }) state: 'running' | 'complete';
  @ApiProperty({ enum: ['none', 'drifted'], nullable: true, type: String, description: 'Null while running.' }) driftStatus: DriftStatus | null;
  @ApiProperty({ type: DriftCountsResponse }) counts: DriftCountsResponse;
  @ApiProperty({ format: 'date-time' }) createdAt: string;
  @ApiProperty({ format: 'date-time', nullable: true, type: String }) finishedAt: string | null;
}

export class DriftItemResponse implements DriftItemView {
  @ApiProperty({ example: 'backup-item:0f5c…', description: '`backup-item:<id>` for a baseline policy, `live:<type>:<id>` for an added one.' }) id: string;
  @ApiProperty({ example: 'settingsCatalogPolicy' }) policyType: string;
  @ApiProperty() displayName: string;
  @ApiProperty({ type: String, nullable: true, description: 'Null when removed.' }) liveId: string | null;
  @ApiProperty({ type: String, nullable: true, format: 'uuid', description: 'Null when added.' }) backupItemId: string | null;
  @ApiProperty({ enum: DRIFT_ITEM_STATUSES }) status: DriftItemStatus;
  @ApiProperty({
    type: [FieldDifferenceResponse],
    description:
      'For changed policies: `live` is the value now, `snapshot` the baseline\'s. Ids, timestamps, `version` and OData annotations are ignored; ' +
      'settings, assignments, apps, OMA settings, scheduled actions and definition values are compared by a stable key (order alone is never drift). ' +
      'Secret values show only as `secret value` / `secret value, changed`.',
  })
  differences: FieldDifferenceResponse[];
}

export class DriftReportPageResponse implements DriftReportPage {
  @ApiProperty({ type: DriftReportResponse }) report: DriftReportResponse;
  @ApiProperty({ type: [DriftItemResponse] }) items: DriftItemResponse[];
  @ApiProperty({ type: String, nullable: true, description: 'Pass as `cursor` for the next page; null on the last page.' }) nextCursor: string | null;
}

export class DriftReportListResponse implements Page<DriftReportView> {
  @ApiProperty({ type: [DriftReportResponse] }) items: DriftReportResponse[];
  @ApiProperty({ type: String, nullable: true, description: 'Pass as `cursor` for the next page; null on the last page.' }) nextCursor: string | null;
}
