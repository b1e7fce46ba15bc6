import { Injectable } from '@nestjs/common';
import {
  WorkerEventSubjects,
  WorkerItemFinishedEvent,
  WorkerRunFinishedEvent,
  WorkerRunStartedEvent,
} from '@policyvault/contracts';
import {
  EventHandler,
  type EventConsumerDeclaration,
  type EventContext,
  type HandlerOutcome,
  type JetStreamEventHandler,
} from '@policyvault/platform';
import { RunServiceConfig } from '../run-service.config.js';
import { ApplyWorkerEventService } from './apply-worker-event.service.js';
import { WORKER_EVENT_MAX_DELIVER } from './finish-wait.js';

/** Worker events (run started, item finished, run finished): every run-service replica shares this durable. */
export const WORKER_EVENTS_CONSUMER: EventConsumerDeclaration<RunServiceConfig> = {
  durable: 'run-service',
  stream: (names) => names.workerEventStream,
  filterSubject: (names) => names.workerEventSubjects,
  subjects: Object.values(WorkerEventSubjects),
  maxDeliver: WORKER_EVENT_MAX_DELIVER,
  ackWaitMs: (config) => config.WORKER_EVENT_ACK_WAIT_MS,
  config: RunServiceConfig,
  concurrency: (config) => config.WORKER_EVENT_CONCURRENCY,
};

@Injectable()
@EventHandler(WorkerEventSubjects.runStarted, WorkerRunStartedEvent)
export class RunStartedHandler implements JetStreamEventHandler<WorkerRunStartedEvent> {
  constructor(private readonly apply: ApplyWorkerEventService) {}

  handle(event: WorkerRunStartedEvent): Promise<HandlerOutcome> {
    return this.apply.runStarted(event);
  }
}

@Injectable()
@EventHandler(WorkerEventSubjects.itemFinished, WorkerItemFinishedEvent)
export class ItemFinishedHandler implements JetStreamEventHandler<WorkerItemFinishedEvent> {
  constructor(private readonly apply: ApplyWorkerEventService) {}

  handle(event: WorkerItemFinishedEvent): Promise<HandlerOutcome> {
    return this.apply.itemFinished(event);
  }
}

@Injectable()
@EventHandler(WorkerEventSubjects.runFinished, WorkerRunFinishedEvent)
export class RunFinishedHandler implements JetStreamEventHandler<WorkerRunFinishedEvent> {
  constructor(private readonly apply: ApplyWorkerEventService) {}

  /** The delivery count bounds how long run-finished waits for item events still in flight. */
  handle(event: WorkerRunFinishedEvent, { deliveryCount }: EventContext): Promise<HandlerOutcome> {
    return this.apply.runFinished(event, deliveryCount);
  }
}

export const WORKER_EVENT_HANDLERS = [RunStartedHandler, ItemFinishedHandler, RunFinishedHandler];
