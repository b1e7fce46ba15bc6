import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional } from 'class-validator';
import { REPORT_FORMATS, type ReportFormat } from './report-writers.js';

export class BackupSetReportQuery {
  @ApiPropertyOptional({ enum: REPORT_FORMATS, default: 'html', description: '`html`: one printable page (inline styles, no script); `markdown`: CommonMark with tables.' })
  @IsOptional()
  @IsIn(REPORT_FORMATS)
  format?: ReportFormat;
}
