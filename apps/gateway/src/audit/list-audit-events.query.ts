import { ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsOptional, IsUUID } from 'class-validator';
import { PageQuery } from '../common/page.query.js';

const lowerCase = ({ value }: { value: unknown }) => (typeof value === 'string' ? value.toLowerCase() : value);

/** `?runId&scheduleId&limit&cursor` of GET …/audit-events (ids lower-cased, like path ids). */
export class ListAuditEventsQuery extends PageQuery {
  @ApiPropertyOptional({ format: 'uuid', description: 'Only the events about this run (e.g. a live restore).' })
  @IsOptional()
  @Transform(lowerCase)
  @IsUUID('all')
  runId?: string;

  @ApiPropertyOptional({ format: 'uuid', description: 'Only the events about this backup schedule.' })
  @IsOptional()
  @Transform(lowerCase)
  @IsUUID('all')
  scheduleId?: string;
}
