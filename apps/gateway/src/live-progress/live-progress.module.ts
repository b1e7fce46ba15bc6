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
 * GET /api/runs/events (every tenant the caller sees), …/runs/events and …/runs/:runId/events. Registered before
 * RunsModule (AppModule imports it first), so that `runs/events` is never taken for `runs/:runId` (400, "runId: must be
 * a UUID") whatever the router: Fastify's prefers a static segment anyway, Express matched in registration order.
 */
@Module({
  imports: [TenantAccessModule, RpcModule, RunsModule],
  controllers: [RunEventsController, UserRunEventsController],
  providers: [RunEventDecoder, RunEventHub, RunStatusFeed, LiveProgressService],
})
export class LiveProgressModule {}
