import { Module } from '@nestjs/common';
import { JobsModule } from '../jobs/jobs.module.js';
import { PreviewQueriesService } from './preview-queries.service.js';
import { PreviewsRepository } from './previews.repository.js';
import { RestorePreviewController } from './restore-preview.controller.js';
import { RestorePreviewHandler } from './restore-preview.handler.js';

@Module({
  imports: [JobsModule],
  controllers: [RestorePreviewController],
  providers: [PreviewsRepository, PreviewQueriesService, RestorePreviewHandler],
})
export class PreviewModule {}
