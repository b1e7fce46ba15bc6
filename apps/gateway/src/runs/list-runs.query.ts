import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsEmail, IsEnum, IsIn, IsISO8601, IsOptional } from 'class-validator';
import { RunStatus, RunType } from '@policyvault/contracts';
import { PageQuery } from '../common/page.query.js';

export class ListRunsQuery extends PageQuery {
  @ApiPropertyOptional({ enum: RunStatus, enumName: 'RunStatus' })
  @IsOptional()
  @IsIn(Object.values(RunStatus))
  status?: RunStatus;

  @ApiPropertyOptional({ enum: RunType, enumName: 'RunType' })
  @IsOptional()
  @IsEnum(RunType)
  type?: RunType;

  @ApiPropertyOptional({ description: 'Runs started by this user (e-mail address, case-insensitive).', example: 'operator@contoso.test' })
  @IsOptional()
  @IsEmail()
  initiator?: string;

  @ApiPropertyOptional({ description: 'Runs queued at or after this instant (ISO 8601).', example: '2026-12-01T00:00:00Z' })
  @IsOptional()
  @IsISO8601({ strict: true })
  queuedFrom?: string;

  @ApiPropertyOptional({ description: 'Runs queued before this instant (ISO 8601).', example: '2026-12-02T00:00:00Z' })
  @IsOptional()
  @IsISO8601({ strict: true })
  queuedTo?: string;
}
