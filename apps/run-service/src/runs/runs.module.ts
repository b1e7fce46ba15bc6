import { Module } from '@nestjs/common';
import { OutboxRelay } from '../outbox/outbox-relay.service.js';
import { RunRpcController } from '../rpc/run-rpc.controller.js';
import { ApplyWorkerEventService } from '../worker-events/apply-worker-event.service.js';
import { WorkerEventsConsumer } from '../worker-events/worker-events.consumer.js';
import { RunQueriesService } from './run-queries.service.js';
import { StartRunService } from './start-run.service.js';

@Module({
  controllers: [RunRpcController],
  providers: [StartRunService, RunQueriesService, OutboxRelay, ApplyWorkerEventService, WorkerEventsConsumer],
})
export class RunsModule {}
