import { Module } from '@nestjs/common';
import { RpcModule } from '../rpc/rpc.module.js';
import { RunsModule } from '../runs/runs.module.js';
import { TenantAccessModule } from '../tenants/tenant-access.module.js';
import { LiveProgressService } from './live-progress.service.js';
import { RunEventDecoder } from './run-event-decoder.js';
import { RunEventHub } from './run-event-hub.js';
import { RunEventsController } from './run-events.controller.js';
import { RunStatusFeed } from './run-status-feed.js';
import { UserRunEventsController } from './user-run-events.controller.js';

/**
 * GET /api/runs/events (every tenant the caller sees), …/runs/events and …/runs/:runId/events. Must be registered before RunsModule (AppModule
 * imports it first): Express matches routes in registration order, and `runs/events` would
 * otherwise be taken for `runs/:runId` (and answer 400, "runId: must be a UUID").
 */
@Module({
  imports: [TenantAccessModule, RpcModule, RunsModule],
  controllers: [RunEventsController, UserRunEventsController],
  providers: [RunEventDecoder, RunEventHub, RunStatusFeed, LiveProgressService],
})
export class LiveProgressModule {}
