import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsEnum, IsObject, IsOptional, IsString, IsUUID, Length, ValidateNested } from 'class-validator';
import { RunType } from '@policyvault/contracts';

/** How the caller confirms a live restore (restore.execute only): one of the two, not both. */
export class RestoreConfirmationBody {
  @ApiPropertyOptional({
    format: 'uuid',
    description:
      'A succeeded restore.preview run of the same backup set and the same items, recent enough (run-service checks it: ' +
      '409 naming confirmation.previewRunId when it is unfinished, of another scope, stale or not a preview of this tenant).',
  })
  @IsOptional()
  @IsUUID('all')
  previewRunId?: string;

  @ApiPropertyOptional({
    minLength: 1,
    maxLength: 200,
    example: 'Contoso',
    description:
      "The tenant's display name typed back. Compared after trimming surrounding white space and Unicode NFC " +
      'normalization, case-sensitively (typing it exactly is the point); a mismatch is a 400 naming confirmation.tenantName.',
  })
  @IsOptional()
  @IsString()
  @Length(1, 200)
  tenantName?: string;
}

export class StartRunBody {
  @ApiProperty({ enum: RunType, enumName: 'RunType', description: 'Any type but backup_schedule.run (400: those are started by their schedule).' })
  @IsEnum(RunType)
  type: RunType;

  @ApiPropertyOptional({
    type: 'object',
    additionalProperties: true,
    default: {},
    description:
      'What the run acts on; its shape depends on the type (policy.capture_snapshot: { policyId }, backup_set.create: { name }, ' +
      'backup_set.add_policies: { backupSetId }, restore.*: { backupSetId, sourceTenantId? } (sourceTenantId: the tenant the backup ' +
      'set belongs to when it is not this one; the caller must be operator or owner there too, else 403 naming ' +
      'target.sourceTenantId), inventory.sync: {}).',
  })
  @IsObject()
  target: Record<string, unknown> = {};

  @ApiPropertyOptional({
    type: 'object',
    additionalProperties: true,
    default: {},
    description:
      'What part of the target: inventory.sync { policyTypes? }, backup_set.* { policyIds?, policyTypes?, includeFoundations? }, ' +
      'restore.* { backupItemIds?, includeAssignments?, keepConditionalAccessState? }, others {}.',
  })
  @IsObject()
  scope: Record<string, unknown> = {};

  @ApiPropertyOptional({
    type: RestoreConfirmationBody,
    description:
      'restore.execute only, and required there: { previewRunId } or { tenantName }. Any other run type with a ' +
      'confirmation is a 400. Never part of the de-duplication key.',
  })
  @IsOptional()
  @IsObject()
  @ValidateNested()
  @Type(() => RestoreConfirmationBody)
  confirmation?: RestoreConfirmationBody;
}
