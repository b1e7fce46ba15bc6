import type { JetStreamClient, JetStreamPublishOptions, JsMsg, PubAck } from '@nats-io/jetstream';
import { contextOfHeaders, withTraceHeaders } from './nats-trace-headers.js';
import { SpanKind, annotateRun, contextOfCarrier, inSpan, tracingActive, type TraceCarrier } from './spans.js';

export interface TracedPublish {
  /** The span's name (low cardinality: `outbox publish`, `worker-event publish`). */
  name: string;
  /** The message's run, tenant and type, named on the span (see annotateRun). */
  run?: unknown;
  /** Continue a stored trace (an outbox row's) instead of the active one. */
  parent?: TraceCarrier | null;
}

/**
 * Publishes to JetStream inside a producer span whose context travels in the message's headers, so the
 * consumer's span continues this trace. Without tracing it is `js.publish` as it was.
 */
export function publishTraced(
  js: JetStreamClient,
  subject: string,
  payload: string | Uint8Array,
  options: Partial<JetStreamPublishOptions>,
  trace: TracedPublish,
): Promise<PubAck> {
  if (!tracingActive()) return js.publish(subject, payload, options);
  return inSpan(
    trace.name,
    {
      kind: SpanKind.PRODUCER,
      parent: trace.parent === undefined ? undefined : contextOfCarrier(trace.parent),
      attributes: { 'messaging.system': 'nats', 'messaging.operation.type': 'send', 'messaging.destination.name': subject },
    },
    (span) => {
      annotateRun(trace.run, span);
      return js.publish(subject, payload, { ...options, headers: withTraceHeaders(options.headers) });
    },
  );
}

/**
 * Handles one delivered message inside a consumer span whose parent is the trace its headers carry (the
 * publisher's span): what the handler does (RPCs, Graph calls, events it publishes) joins that trace.
 */
export function consumeInSpan<T>(message: JsMsg, consumer: { stream: string; durable: string }, handle: () => Promise<T>): Promise<T> {
  if (!tracingActive()) return handle();
  return inSpan(
    `process ${consumer.durable}`,
    {
      kind: SpanKind.CONSUMER,
      parent: contextOfHeaders(message.headers),
      attributes: {
        'messaging.system': 'nats',
        'messaging.operation.type': 'process',
        'messaging.destination.name': message.subject,
        'messaging.consumer.group.name': consumer.durable,
        'messaging.nats.stream': consumer.stream,
        'messaging.nats.delivery_count': message.info.deliveryCount,
      },
    },
    handle,
  );
}
