import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsEnum, IsObject } from 'class-validator';
import { RunType } from '@policyvault/contracts';

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
      'backup_set.add_policies / restore.*: { backupSetId }, inventory.sync: {}).',
  })
  @IsObject()
  target: Record<string, unknown> = {};

  @ApiPropertyOptional({
    type: 'object',
    additionalProperties: true,
    default: {},
    description:
      'What part of the target: inventory.sync { policyTypes? }, backup_set.* { policyIds?, policyTypes?, includeFoundations? }, ' +
      'restore.* { backupItemIds?, includeAssignments? }, others {}.',
  })
  @IsObject()
  scope: Record<string, unknown> = {};
}
