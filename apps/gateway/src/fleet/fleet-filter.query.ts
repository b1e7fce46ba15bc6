import { ApiPropertyOptional, IntersectionType } from '@nestjs/swagger';
import { IsIn, IsISO8601, IsOptional, IsString, Length } from 'class-validator';
import {
  FLEET_DRIFT_FILTERS,
  FLEET_HEALTH_FILTERS,
  FLEET_SORTS,
  type FleetDriftFilter,
  type FleetHealthFilter,
  type FleetSort,
} from '@policyvault/contracts';
import { PageQuery } from '../common/page.query.js';

/** Which tenants of the fleet: every filter given must hold. The query of GET /api/fleet and the `filter` of a fleet start. */
export class FleetFilter {
  @ApiPropertyOptional({
    enum: FLEET_HEALTH_FILTERS,
    description: "The tenant's health from its latest access check (tenant.verify_access); unknown: never checked.",
  })
  @IsOptional()
  @IsIn(FLEET_HEALTH_FILTERS)
  health?: FleetHealthFilter;

  @ApiPropertyOptional({ enum: FLEET_DRIFT_FILTERS, description: 'From the latest succeeded drift check; unknown: never checked.' })
  @IsOptional()
  @IsIn(FLEET_DRIFT_FILTERS)
  drift?: FleetDriftFilter;

  @ApiPropertyOptional({
    format: 'date-time',
    example: '2026-11-30T00:00:00Z',
    description: 'Tenants whose last successful backup (a succeeded backup_set.create or backup_schedule.run) finished before this instant, or that never had one.',
  })
  @IsOptional()
  @IsISO8601({ strict: true })
  noSuccessfulBackupSince?: string;

  @ApiPropertyOptional({ minLength: 1, maxLength: 64, description: 'Tenants carrying this tag (exact match).' })
  @IsOptional()
  @IsString()
  @Length(1, 64)
  tag?: string;
}

/** `GET /api/fleet`: the filters, an order and a page. */
export class FleetQuery extends IntersectionType(FleetFilter, PageQuery) {
  @ApiPropertyOptional({
    enum: FLEET_SORTS,
    default: 'name',
    description:
      'name: by display name; lastBackupAt: never backed up first, then the oldest; health: the worst first ' +
      '(unreachable, no_consent, missing_permissions, never checked, ok); lastFailedAt: the latest failure first. ' +
      'A leading - reverses. Ties keep the name order.',
  })
  @IsOptional()
  @IsIn(FLEET_SORTS)
  sort?: FleetSort;
}
