import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional } from 'class-validator';
import { DRIFT_ITEM_STATUSES, type DriftItemStatus } from '@policyvault/contracts';
import { PageQuery } from '../common/page.query.js';

/** `?status&limit&cursor` of one report's items. */
export class DriftReportQuery extends PageQuery {
  @ApiPropertyOptional({ enum: DRIFT_ITEM_STATUSES, description: 'Only the items with this status.' })
  @IsOptional()
  @IsIn(DRIFT_ITEM_STATUSES)
  status?: DriftItemStatus;
}
