import { Module } from '@nestjs/common';
import { GraphModule } from '../graph/graph.module.js';
import { StoreModule } from '../store/store.module.js';
import { CapturePolicySnapshotHandler } from './capture-policy-snapshot.handler.js';
import { JobRunner } from './job-runner.js';
import { PolicyCaptureService } from './policy-capture.service.js';

@Module({
  imports: [StoreModule, GraphModule],
  providers: [JobRunner, PolicyCaptureService, CapturePolicySnapshotHandler],
  exports: [JobRunner, PolicyCaptureService],
})
export class CaptureModule {}
