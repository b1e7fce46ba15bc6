import { Module } from '@nestjs/common';
import { JobsModule } from '../jobs/jobs.module.js';
import { ExecutedItemsRepository } from './executed-items.repository.js';
import { RestoreExecuteHandler } from './restore-execute.handler.js';
import { RestoreItemWriter } from './restore-item.writer.js';

@Module({
  imports: [JobsModule],
  providers: [ExecutedItemsRepository, RestoreItemWriter, RestoreExecuteHandler],
})
export class ExecuteModule {}
