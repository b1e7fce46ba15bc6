import type { NatsConnection, Subscription } from '@nats-io/transport-node';
import type { JetStreamManager } from '@nats-io/jetstream';
import type { Logger } from 'pino';
import type { ExhaustedMessage } from '../jetstream/jetstream-pull-consumer.js';

interface MaxDeliveriesAdvisory {
  stream: string;
  consumer: string;
  stream_seq: number;
  deliveries: number;
}

/**
 * A command whose last delivery died without an answer (its worker crashed, or the ack wait ran out)
 * never comes back to a handler, so nothing would record it. JetStream announces it on its
 * max-deliveries advisory; one replica (queue group) takes the message from the stream, hands it to
 * `onExhausted` (record it, fail its run) and deletes it from the work queue.
 */
export class MaxDeliveriesWatcher {
  private subscription?: Subscription;
  private readonly handling = new Set<Promise<void>>();

  constructor(
    private readonly connection: NatsConnection,
    private readonly manager: JetStreamManager,
    private readonly stream: string,
    private readonly durable: string,
    private readonly onExhausted: (message: ExhaustedMessage) => Promise<void>,
    private readonly logger: Logger,
  ) {}

  start(): void {
    this.subscription = this.connection.subscribe(`$JS.EVENT.ADVISORY.CONSUMER.MAX_DELIVERIES.${this.stream}.${this.durable}`, {
      queue: `${this.durable}-max-deliveries`,
      callback: (error, message) => {
        if (error) return;
        const task = this.handle(message.json<MaxDeliveriesAdvisory>()).finally(() => this.handling.delete(task));
        this.handling.add(task);
      },
    });
  }

  async stop(): Promise<void> {
    this.subscription?.unsubscribe();
    await Promise.allSettled([...this.handling]);
  }

  private async handle(advisory: MaxDeliveriesAdvisory): Promise<void> {
    try {
      const message = await this.manager.streams.getMessage(this.stream, { seq: advisory.stream_seq });
      if (!message) return; // already handled and deleted by another replica
      await this.onExhausted({
        subject: message.subject,
        stream: this.stream,
        streamSequence: advisory.stream_seq,
        data: message.data,
        deliveryCount: advisory.deliveries,
        reason: 'delivery attempts exhausted (the last delivery was never answered)',
      });
      await this.manager.streams.deleteMessage(this.stream, advisory.stream_seq, false);
    } catch (error) {
      this.logger.error({ err: { message: (error as Error).message }, seq: advisory.stream_seq }, 'could not handle an exhausted command');
    }
  }
}
