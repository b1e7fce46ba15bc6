import { Module } from '@nestjs/common';
import { JobsModule } from '../jobs/jobs.module.js';
import { DriftCheckHandler } from './drift-check.handler.js';
import { DriftQueriesService } from './drift-queries.service.js';
import { DriftReportsRepository } from './drift-reports.repository.js';
import { DriftRpcController } from './drift-rpc.controller.js';

/** Drift checks (run type drift.check) and the reports they store. */
@Module({
  imports: [JobsModule],
  controllers: [DriftRpcController],
  providers: [DriftReportsRepository, DriftQueriesService, DriftCheckHandler],
})
export class DriftModule {}
