import { Injectable } from '@nestjs/common';
import {
  WorkerEventSubjects,
  WorkerItemFinishedEvent,
  WorkerRunFinishedEvent,
  WorkerRunStartedEvent,
  workerEventOfEveryWorker,
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
  subjects: Object.values(WorkerEventSubjects).map(workerEventOfEveryWorker),
  maxDeliver: WORKER_EVENT_MAX_DELIVER,
  ackWaitMs: (config) => config.WORKER_EVENT_ACK_WAIT_MS,
  config: RunServiceConfig,
  concurrency: (config) => config.WORKER_EVENT_CONCURRENCY,
};

/** The worker that published an event: its subject's last token (`workerEventSubject`), which NATS authorization vouches for. */
const publisher = ({ subject }: EventContext) => subject.slice(subject.lastIndexOf('.') + 1);

@Injectable()
@EventHandler(workerEventOfEveryWorker(WorkerEventSubjects.runStarted), WorkerRunStartedEvent)
export class RunStartedHandler implements JetStreamEventHandler<WorkerRunStartedEvent> {
  constructor(private readonly apply: ApplyWorkerEventService) {}

  handle(event: WorkerRunStartedEvent, context: EventContext): Promise<HandlerOutcome> {
    return this.apply.runStarted(event, publisher(context));
  }
}

@Injectable()
@EventHandler(workerEventOfEveryWorker(WorkerEventSubjects.itemFinished), WorkerItemFinishedEvent)
export class ItemFinishedHandler implements JetStreamEventHandler<WorkerItemFinishedEvent> {
  constructor(private readonly apply: ApplyWorkerEventService) {}

  handle(event: WorkerItemFinishedEvent, context: EventContext): Promise<HandlerOutcome> {
    return this.apply.itemFinished(event, publisher(context));
  }
}

@Injectable()
@EventHandler(workerEventOfEveryWorker(WorkerEventSubjects.runFinished), WorkerRunFinishedEvent)
export class RunFinishedHandler implements JetStreamEventHandler<WorkerRunFinishedEvent> {
  constructor(private readonly apply: ApplyWorkerEventService) {}

  /** The delivery count bounds how long run-finished waits for item events still in flight. */
  handle(event: WorkerRunFinishedEvent, context: EventContext): Promise<HandlerOutcome> {
    return this.apply.runFinished(event, publisher(context), context.deliveryCount);
  }
}

export const WORKER_EVENT_HANDLERS = [RunStartedHandler, ItemFinishedHandler, RunFinishedHandler];
