import { ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsBoolean, IsOptional, IsUUID } from 'class-validator';
import { PageQuery } from '../common/page.query.js';

/** `true` and `false` as query strings; anything else stays as given and fails IsBoolean. */
export function queryBoolean({ value }: { value: unknown }): unknown {
  if (value === 'true') return true;
  if (value === 'false') return false;
  return value;
}

export class ListNotificationsQuery extends PageQuery {
  @ApiPropertyOptional({ format: 'uuid', description: 'Only notifications about this tenant; it must be one of the caller\'s tenants (403 otherwise).' })
  @IsOptional()
  @IsUUID('all')
  tenantId?: string;

  @ApiPropertyOptional({ type: Boolean, default: false, description: 'Only notifications not yet marked read.' })
  @IsOptional()
  @Transform(queryBoolean)
  @IsBoolean()
  unreadOnly?: boolean;
}

export class MarkAllReadBody {
  @ApiPropertyOptional({ format: 'uuid', description: 'Only this tenant\'s notifications; one of the caller\'s tenants (403 otherwise).' })
  @IsOptional()
  @IsUUID('all')
  tenantId?: string;
}
