import type { JetStreamManager } from '@nats-io/jetstream';
import {
  jetStreamConsumerAckPending,
  jetStreamConsumerPending,
  jetStreamConsumerRedelivered,
  jetStreamHandleDuration,
  jetStreamMessages,
  jetStreamRedeliveries,
} from '../metrics/platform.metrics.js';
import type { SettledAs } from './jetstream-pull-consumer.js';

export interface ConsumerMetrics {
  /** A message arrived; call the result with what became of it once it is settled. */
  received(deliveryCount: number): (settled: SettledAs) => void;
  /** Stops reporting the consumer's state (shutdown). */
  close(): void;
}

/** How long one consumer info answer serves the scrapes (three gauges read it; replicas scrape apart). */
const INFO_TTL_MS = 1000;

/** One durable consumer's counts, and its state from consumer info read when Prometheus scrapes. */
export function watchConsumerMetrics(manager: JetStreamManager, stream: string, durable: string): ConsumerMetrics {
  const labels = { stream, durable };
  let cached: { at: number; info: ReturnType<JetStreamManager['consumers']['info']> } | undefined;
  const info = () => {
    if (!cached || Date.now() - cached.at > INFO_TTL_MS) cached = { at: Date.now(), info: manager.consumers.info(stream, durable) };
    return cached.info;
  };
  const removers = [
    jetStreamConsumerPending.addSource(async () => [{ labels, value: (await info()).num_pending }]),
    jetStreamConsumerAckPending.addSource(async () => [{ labels, value: (await info()).num_ack_pending }]),
    jetStreamConsumerRedelivered.addSource(async () => [{ labels, value: (await info()).num_redelivered }]),
  ];
  return {
    received(deliveryCount) {
      if (deliveryCount > 1) jetStreamRedeliveries.inc(labels);
      const done = jetStreamHandleDuration.startTimer();
      return (settled) => {
        done(labels);
        jetStreamMessages.inc({ ...labels, outcome: settled });
      };
    },
    close() {
      for (const remove of removers) remove();
    },
  };
}
