// OpenAPI descriptions of the restore-worker's preview views (libs/contracts restore.messages.ts). Each
// class implements its contract view, so a field added there fails to compile here until documented.
import { ApiProperty } from '@nestjs/swagger';
import {
  RESTORE_ACTIONS,
  type FieldDifference,
  type PlannedRequestView,
  type ReferenceKind,
  type RestoreAction,
  type RestoreAmbiguity,
  type RestorePreviewItemView,
  type RestorePreviewPage,
  type UnmappedReferenceReason,
  type UnmappedReferenceView,
} from '@policyvault/contracts';

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
  @ApiProperty({ example: 'scheduled_actions', description: 'create, update, scheduled_actions, settings, definition_values, target_apps, priority, policy_set_items, allowed_combinations, assign or unassign.' })
  purpose: string;
}

export class RestoreAmbiguityResponse implements RestoreAmbiguity {
  @ApiProperty({
    enum: ['several_live_matches', 'several_backup_items', 'already_matched'],
    description:
      'several_live_matches: no live object has the original id and several carry the name and type; several_backup_items: the one live object with the name is the name match of other items of this restore too; already_matched: it is another item\'s match by id.',
  })
  reason: RestoreAmbiguity['reason'];
  @ApiProperty({ type: [String], description: 'Ids of the live objects that could be meant.' }) candidateIds: string[];
  @ApiProperty({ type: [String], description: 'Other backup items of the restore the live object is, or could be, the match of.' }) backupItemIds: string[];
}

export class UnmappedReferenceResponse implements UnmappedReferenceView {
  @ApiProperty({ enum: ['group', 'scopeTag', 'filter', 'notificationTemplate'] }) kind: ReferenceKind;
  @ApiProperty({ description: "The id in the backup's tenant." }) id: string;
  @ApiProperty({ type: String, nullable: true, description: 'Its display name when captured.' }) name: string | null;
  @ApiProperty({ enum: ['not_in_target_tenant', 'several_in_target_tenant', 'name_not_captured'] }) reason: UnmappedReferenceReason;
  @ApiProperty({ description: "An unmapped exclusion group or filter blocks the item's assignments; an unmapped inclusion is dropped." }) blocking: boolean;
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
  @ApiProperty({ type: String, nullable: true, description: 'Why an item is skipped (e.g. an unsupported policy type) or ambiguous (ambiguous_match).' }) reason: string | null;
  @ApiProperty({ type: RestoreAmbiguityResponse, nullable: true, description: 'Set when the action is ambiguous: nothing is written for the item.' })
  ambiguity: RestoreAmbiguityResponse | null;
  @ApiProperty({ type: [UnmappedReferenceResponse], description: 'References (groups, scope tags, filters, notification templates) the target tenant cannot resolve.' })
  unmapped: UnmappedReferenceResponse[];
}

export class RestorePreviewTotalsResponse implements Record<RestoreAction, number> {
  @ApiProperty() create: number;
  @ApiProperty() update: number;
  @ApiProperty() no_change: number;
  @ApiProperty() skipped: number;
  @ApiProperty() ambiguous: number;
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
