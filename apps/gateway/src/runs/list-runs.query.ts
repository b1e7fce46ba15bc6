import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsEnum, IsIn, IsOptional } from 'class-validator';
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
}
