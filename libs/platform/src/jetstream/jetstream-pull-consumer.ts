import { AckPolicy, DeliverPolicy, JetStreamApiError, type Consumer, type ConsumerMessages, type JetStreamClient, type JetStreamManager, type JsMsg } from '@nats-io/jetstream';
import { nanos, type NatsConnection } from '@nats-io/transport-node';
import type { Logger } from 'pino';
import type { HandlerOutcome } from './handler-outcome.js';
import { consumeInSpan } from '../tracing/jetstream-tracing.js';
import { watchConsumerMetrics, type ConsumerMetrics } from './jetstream-consumer.metrics.js';
import { waitForDependency } from '../startup/wait-for-dependency.js';

/**
 * A JetStream API failure worth another try: a timeout or an unavailable server (a cluster electing a leader, a
 * server just restarted), not a refusal (4xx: a bad configuration stays bad).
 */
export function isTransientJetStreamError(error: unknown): boolean {
  return !(error instanceof JetStreamApiError && error.status >= 400 && error.status < 500);
}

export interface PullConsumerOptions {
  stream: string;
  /** Durable name shared by every replica of the consuming service: they split the work. */
  durable: string;
  filterSubject: string;
  /** Deliveries before a message is given up (then `onExhausted` records it). */
  maxDeliver: number;
  ackWaitMs: number;
  /** Messages handled at once by this process. */
  concurrency: number;
  /**
   * `true` (default): keep a buffer of messages ahead of the handlers (short work: worker events).
   * `false`: pull only as many messages as there are free slots (long work: commands). A buffered
   * message's ack_wait runs while it waits for a slot, so with long handlers it would be redelivered
   * to another replica while this one still holds it, and be processed twice.
   */
  prefetch?: boolean;
}

export interface ExhaustedMessage {
  subject: string;
  /** Stream and sequence name the message once: a redelivery of it is not recorded again. */
  stream: string;
  streamSequence: number;
  data: Uint8Array;
  deliveryCount: number;
  reason: string;
}

export interface PullConsumerHooks {
  handle(message: JsMsg): Promise<HandlerOutcome>;
  /** Called before a rejected or exhausted message is dropped, so nothing is lost silently. */
  onDropped(message: ExhaustedMessage): Promise<void>;
}

/** What became of a handled message (the `outcome` label of policyvault_jetstream_messages_total). */
export type SettledAs = 'ack' | 'retry' | 'reject' | 'exhausted' | 'unsettled';

const RETRY_BACKOFF_MS = [200, 1000, 5000, 15000, 30000];
/** Heartbeats per ack wait: a held message is reported in progress well before its ack wait ends. */
const HEARTBEATS_PER_ACK_WAIT = 4;
/** How long one pull waits for messages before the next (the client's minimum is 1 s). */
const FETCH_EXPIRES_MS = 5000;
/** How long an ack may take to reach the server before the message counts as unsettled (ackAck's default). */
const ACK_TIMEOUT_MS = 5000;

/**
 * Confirms acks in groups: each `ack()` is a plain publish, and the acks sent within one event-loop turn share one
 * flush (PING/PONG on the same connection) — when the server answers it, it has read them all. A `message.ackAck()`
 * per message was a request each (an inbox reply, a timer, a reply to parse). The guarantee is the same: a slot is
 * freed, and stop() returns, only once the ack reached the server; an ack that did not (a broken connection, a
 * timeout) fails the settle, the message stays unacknowledged and comes back after ack_wait.
 */
class AckFlusher {
  private next?: Promise<void>;

  constructor(private readonly connection: Pick<NatsConnection, 'flush'>) {}

  /** Resolves once every ack sent before this call has reached the server. */
  flushed(): Promise<void> {
    // Join the flush of this turn while it is not yet sent; a flush already sent may have left before this ack.
    this.next ??= new Promise<void>((resolve) => setImmediate(resolve)).then(() => {
      this.next = undefined;
      return withTimeout(this.connection.flush(), ACK_TIMEOUT_MS, 'ack not confirmed by the server in time');
    });
    return this.next;
  }
}

function withTimeout<T>(promise: Promise<T>, ms: number, message: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(message)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

/**
 * A durable pull consumer with bounded concurrency. Ack happens only after the handler's work is
 * durable; retries nak with a delay; rejects and exhausted deliveries are recorded, then terminated.
 * Every message this process holds (waiting for a slot, then handled) is heartbeated (`working()`)
 * every ack_wait / HEARTBEATS_PER_ACK_WAIT, so ack_wait only has to cover a process that died: a short
 * ack_wait hands a killed replica's messages to another one quickly, without cutting long work short.
 */
export class JetStreamPullConsumer {
  private messages?: ConsumerMessages;
  private readonly inFlight = new Set<Promise<void>>();
  private loop?: Promise<void>;
  private stopping = false;
  private metrics?: ConsumerMetrics;
  private readonly acks: AckFlusher;

  constructor(
    private readonly js: JetStreamClient,
    private readonly manager: JetStreamManager,
    /** The connection `js` runs on: its flush confirms the acks. */
    connection: Pick<NatsConnection, 'flush'>,
    private readonly options: PullConsumerOptions,
    private readonly hooks: PullConsumerHooks,
    private readonly logger: Logger,
  ) {
    this.acks = new AckFlusher(connection);
  }

  async start(): Promise<void> {
    // Retried like the connection and the streams (a slow or electing cluster times the API out): a service never
    // exits at boot because JetStream is slow to answer.
    const consumer = await waitForDependency(
      'jetstream',
      async () => {
        await this.ensureConsumer();
        return this.js.consumers.get(this.options.stream, this.options.durable);
      },
      this.logger,
      { retryable: isTransientJetStreamError },
    );
    this.metrics = watchConsumerMetrics(this.manager, this.options.stream, this.options.durable);
    if (this.options.prefetch === false) {
      this.loop = this.fetchLoop(consumer);
      return;
    }
    this.messages = await consumer.consume({ max_messages: Math.max(this.options.concurrency * 2, 10) });
    this.loop = this.run(this.messages);
  }

  /** Stops fetching, lets in-flight messages finish (their ack/nak lands), then returns. */
  async stop(): Promise<void> {
    this.stopping = true;
    this.messages?.stop();
    await this.loop;
    await Promise.allSettled([...this.inFlight]);
    this.metrics?.close();
  }

  private async ensureConsumer(): Promise<void> {
    const config = {
      durable_name: this.options.durable,
      ack_policy: AckPolicy.Explicit,
      deliver_policy: DeliverPolicy.All,
      filter_subject: this.options.filterSubject,
      max_deliver: this.options.maxDeliver,
      ack_wait: nanos(this.options.ackWaitMs),
      max_ack_pending: Math.max(this.options.concurrency * 4, 100),
    };
    try {
      await this.manager.consumers.info(this.options.stream, this.options.durable);
      await this.manager.consumers.update(this.options.stream, this.options.durable, {
        max_deliver: config.max_deliver,
        ack_wait: config.ack_wait,
        max_ack_pending: config.max_ack_pending,
      });
    } catch (error) {
      if (!(error instanceof JetStreamApiError) || error.code !== 10014) throw error;
      try {
        await this.manager.consumers.add(this.options.stream, config);
      } catch (addError) {
        if (!/already in use|already exists/i.test(String((addError as Error).message))) throw addError;
      }
    }
  }

  private async run(messages: ConsumerMessages): Promise<void> {
    for await (const message of messages) {
      const heartbeat = this.heartbeat(message);
      while (this.inFlight.size >= this.options.concurrency) await Promise.race(this.inFlight);
      this.track(message, heartbeat);
      if (this.stopping) break;
    }
  }

  /** Pulls exactly as many messages as there are free slots, so none waits unheard in a buffer. */
  private async fetchLoop(consumer: Consumer): Promise<void> {
    while (!this.stopping) {
      if (this.inFlight.size >= this.options.concurrency) {
        await Promise.race(this.inFlight);
        continue;
      }
      try {
        this.messages = await consumer.fetch({ max_messages: this.options.concurrency - this.inFlight.size, expires: FETCH_EXPIRES_MS });
        // stop() may have run while this pull was being set up: end it now rather than at its expiry.
        if (this.stopping) this.messages.stop();
        for await (const message of this.messages) {
          if (this.stopping) {
            // Fetched after stop() began: hand it straight back instead of letting ack_wait expire.
            message.nak();
            continue;
          }
          this.track(message, this.heartbeat(message));
        }
      } catch (error) {
        if (this.stopping) break;
        this.logger.warn({ err: { message: (error as Error).message } }, 'fetching messages failed; retrying');
        await new Promise((resolve) => setTimeout(resolve, 1000));
      }
    }
  }

  /** Starts heartbeating a message this process holds; returns what stops it. */
  private heartbeat(message: JsMsg): () => void {
    const timer = setInterval(() => message.working(), Math.max(250, Math.floor(this.options.ackWaitMs / HEARTBEATS_PER_ACK_WAIT)));
    return () => clearInterval(timer);
  }

  private track(message: JsMsg, stopHeartbeat: () => void): void {
    // Handled and settled inside a span continuing the publisher's trace (the message's headers).
    const task = consumeInSpan(message, this.options, () => this.process(message)).finally(() => {
      stopHeartbeat();
      this.inFlight.delete(task);
    });
    this.inFlight.add(task);
  }

  private async process(message: JsMsg): Promise<void> {
    const handled = this.metrics?.received(message.info.deliveryCount);
    let outcome: HandlerOutcome;
    try {
      outcome = await this.hooks.handle(message);
    } catch (error) {
      const attempt = message.info.deliveryCount;
      const delayMs = RETRY_BACKOFF_MS[Math.min(attempt - 1, RETRY_BACKOFF_MS.length - 1)];
      outcome = { kind: 'retry', delayMs, reason: `handler failed: ${(error as Error).name}` };
      this.logger.warn({ subject: message.subject, attempt, err: { name: (error as Error).name, message: (error as Error).message } }, 'message handler failed');
    }
    try {
      const settled = await this.settle(message, outcome);
      handled?.(settled);
    } catch (error) {
      handled?.('unsettled');
      // The message stays unacknowledged and is redelivered after ack_wait.
      this.logger.error({ subject: message.subject, err: { message: (error as Error).message } }, 'could not settle message');
    }
  }

  private async settle(message: JsMsg, outcome: HandlerOutcome): Promise<SettledAs> {
    switch (outcome.kind) {
      case 'done':
        message.ack();
        await this.acks.flushed();
        return 'ack';
      case 'retry':
        if (message.info.deliveryCount >= this.options.maxDeliver) {
          await this.drop(message, `delivery attempts exhausted (${outcome.reason})`);
          return 'exhausted';
        }
        message.nak(outcome.delayMs);
        return 'retry';
      case 'reject':
        await this.drop(message, outcome.reason);
        return 'reject';
    }
  }

  private async drop(message: JsMsg, reason: string): Promise<void> {
    await this.hooks.onDropped({
      subject: message.subject,
      stream: message.info.stream,
      streamSequence: message.info.streamSequence,
      data: message.data,
      deliveryCount: message.info.deliveryCount,
      reason,
    });
    message.term();
  }
}
