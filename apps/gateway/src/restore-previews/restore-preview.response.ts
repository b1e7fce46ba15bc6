// OpenAPI descriptions of the restore-worker's preview views (libs/contracts restore.messages.ts). Each
// class implements its contract view, so a field added there fails to compile here until documented.
import { ApiProperty } from '@nestjs/swagger';
import type { FieldDifference, PlannedRequestView, RestoreAction, RestorePreviewItemView, RestorePreviewPage } from '@policyvault/contracts';

const RESTORE_ACTIONS: RestoreAction[] = ['create', 'update', 'no_change', 'skipped'];

export class FieldDifferenceResponse implements FieldDifference {
  @ApiProperty({ example: 'settings[3].settingInstance.choiceSettingValue.value', description: 'JSON path of the field.' }) path: string;
  @ApiProperty({ required: false, description: 'The live value; absent when the field exists only in the snapshot.' }) live?: unknown;
  @ApiProperty({ required: false, description: 'The snapshot value; absent when the field exists only live.' }) snapshot?: unknown;
}

export class RestoreRequestResponse {
  @ApiProperty({ enum: ['POST', 'PATCH', 'PUT'] }) method: 'POST' | 'PATCH' | 'PUT';
  @ApiProperty({ example: '/deviceManagement/deviceConfigurations/a1b2…' }) path: string;
  @ApiProperty({ type: 'object', additionalProperties: true, description: 'Read-only properties stripped.' }) body: Record<string, unknown>;
}

export class PlannedRequestResponse implements PlannedRequestView {
  @ApiProperty({ enum: ['POST', 'PATCH', 'PUT', 'DELETE'] }) method: 'POST' | 'PATCH' | 'PUT' | 'DELETE';
  @ApiProperty({ example: '/beta/deviceManagement/deviceCompliancePolicies/a1b2…/scheduleActionsForRules', description: '`{createdId}` stands for the id the item\'s create answers with.' })
  path: string;
  @ApiProperty({ type: 'object', additionalProperties: true, nullable: true, description: 'Only writable data; null for DELETE.' }) body: Record<string, unknown> | null;
  @ApiProperty({ example: 'scheduled_actions', description: 'create, update, scheduled_actions, settings, definition_values, target_apps, priority, assign or unassign.' })
  purpose: string;
}

export class RestorePreviewItemResponse implements RestorePreviewItemView {
  @ApiProperty({ format: 'uuid' }) backupItemId: string;
  @ApiProperty({ example: 'deviceConfiguration' }) policyType: string;
  @ApiProperty() displayName: string;
  @ApiProperty({ enum: RESTORE_ACTIONS }) action: RestoreAction;
  @ApiProperty({ enum: ['id', 'name'], nullable: true, type: String, description: 'How the live object was found: by its original id, or by display name and @odata.type.' })
  matchedBy: 'id' | 'name' | null;
  @ApiProperty({ type: String, nullable: true }) liveId: string | null;
  @ApiProperty({ type: RestoreRequestResponse, nullable: true, description: 'The first request carrying a body; `requests` holds every one.' })
  request: RestoreRequestResponse | null;
  @ApiProperty({ type: [PlannedRequestResponse], description: 'Every request a restore would send for the item, in order.' }) requests: PlannedRequestResponse[];
  @ApiProperty({ type: [FieldDifferenceResponse] }) differences: FieldDifferenceResponse[];
  @ApiProperty({ type: String, nullable: true, description: 'Why an item is skipped (e.g. an unsupported policy type).' }) reason: string | null;
}

export class RestorePreviewTotalsResponse implements Record<RestoreAction, number> {
  @ApiProperty() create: number;
  @ApiProperty() update: number;
  @ApiProperty() no_change: number;
  @ApiProperty() skipped: number;
}

export class RestorePreviewPageResponse implements RestorePreviewPage {
  @ApiProperty({ format: 'uuid', description: 'The restore.preview run.' }) runId: string;
  @ApiProperty({ format: 'uuid' }) backupSetId: string;
  @ApiProperty({ format: 'date-time' }) computedAt: string;
  @ApiProperty({ type: RestorePreviewTotalsResponse, description: 'Over every item of the preview, not just this page.' })
  totals: RestorePreviewTotalsResponse;
  @ApiProperty({ type: [RestorePreviewItemResponse] }) items: RestorePreviewItemResponse[];
  @ApiProperty({ type: String, nullable: true, description: 'Pass as `cursor` for the next page; null on the last page.' }) nextCursor: string | null;
}
