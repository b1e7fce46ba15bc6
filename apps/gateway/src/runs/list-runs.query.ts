import { ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsEnum, IsIn, IsInt, IsOptional, IsString, Length, Max, Min } from 'class-validator';
import { DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE, RunStatus, RunType } from '@policyvault/contracts';

export class PageQuery {
  @ApiPropertyOptional({ minimum: 1, maximum: MAX_PAGE_SIZE, default: DEFAULT_PAGE_SIZE })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(MAX_PAGE_SIZE)
  limit?: number;

  @ApiPropertyOptional({ description: 'The nextCursor of the previous page.', maxLength: 200 })
  @IsOptional()
  @IsString()
  @Length(1, 200)
  cursor?: string;
}

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
