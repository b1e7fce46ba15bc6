import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { ArrayMaxSize, ArrayMinSize, IsArray, IsIn, IsObject, IsOptional, IsUUID, ValidateNested } from 'class-validator';
import { fleetStartableRunTypes, MAX_FLEET_BATCH_TENANTS, type RunType } from '@policyvault/contracts';
import { FleetFilter } from './fleet-filter.query.js';

/** `POST /api/fleet/runs`: one run type, target and scope, for the listed tenants or those a filter selects. */
export class StartFleetRunBody {
  @ApiProperty({
    enum: fleetStartableRunTypes(),
    description: 'A run type that may be started across the fleet (fleetStartable in the run-type registry).',
  })
  @IsIn(fleetStartableRunTypes())
  type: RunType;

  @ApiPropertyOptional({ type: 'object', additionalProperties: true, default: {}, description: 'As for one tenant (POST /api/tenants/:tenantId/runs).' })
  @IsObject()
  target: Record<string, unknown> = {};

  @ApiPropertyOptional({ type: 'object', additionalProperties: true, default: {}, description: 'As for one tenant.' })
  @IsObject()
  scope: Record<string, unknown> = {};

  @ApiPropertyOptional({
    type: [String],
    format: 'uuid',
    maxItems: MAX_FLEET_BATCH_TENANTS,
    description: 'The tenants (each one the caller can see: else 403 and nothing starts). Give this or filter.',
  })
  @IsOptional()
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(MAX_FLEET_BATCH_TENANTS)
  @IsUUID('all', { each: true })
  tenantIds?: string[];

  @ApiPropertyOptional({ type: FleetFilter, description: "Every tenant the caller can see that matches (GET /api/fleet's filters). Give this or tenantIds." })
  @IsOptional()
  @IsObject()
  @ValidateNested()
  @Type(() => FleetFilter)
  filter?: FleetFilter;
}
