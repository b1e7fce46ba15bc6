import { Module } from '@nestjs/common';
import { DocumentationController } from './documentation.controller.js';
import { DocumentationQueriesService } from './documentation-queries.service.js';

/** The as-built documentation's read side: pages of a set's items with the setting definitions they use. */
@Module({
  controllers: [DocumentationController],
  providers: [DocumentationQueriesService],
})
export class DocumentationModule {}
