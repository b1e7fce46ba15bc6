import { SetMetadata } from '@nestjs/common';
import type { HandlerOutcome } from '../jetstream/handler-outcome.js';
import type { RunType, RunCommand } from '@policyvault/contracts';
import type { RunEventPublisher } from './run-event.publisher.js';

export const COMMAND_HANDLER_METADATA = 'policyvault:command-handler';

/** Marks a provider as the one handler of a run type's command; found at boot by CommandConsumer. */
export const CommandHandler = (type: RunType): ClassDecorator => SetMetadata(COMMAND_HANDLER_METADATA, type);

export interface CommandContext {
  /** 1 on first delivery; higher when JetStream redelivers (crash, nak, ack timeout). */
  deliveryCount: number;
  /** Publishes this run's worker events (durable before the command is acknowledged). */
  events: RunEventPublisher;
  /** Tells JetStream the work is still going (also sent automatically while the handler runs). */
  heartbeat(): void;
  /** Aborted when the worker shuts down: stop between items and return a retry to release the work. */
  signal: AbortSignal;
  /**
   * True once someone asked to cancel the run (answers are at most a second old). Check it between
   * items; when true, stop and finish the run with `WorkerRunOutcome.Canceled` and the items so far.
   */
  isCancelRequested(): Promise<boolean>;
}

/**
 * One handler per run type. Expected situations come back as outcomes (done, retry later, reject);
 * a throw is treated as a retry with backoff, bounded by max_deliver.
 */
export interface RunCommandHandler {
  handle(command: RunCommand, context: CommandContext): Promise<HandlerOutcome>;
}
