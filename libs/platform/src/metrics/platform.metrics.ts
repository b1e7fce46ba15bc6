import { LATENCY_BUCKETS, counter, histogram, sampledGauge } from './metrics-registry.js';

// The metrics of libs/platform's shared mechanisms. Labels are bounded sets: route templates (never raw
// URLs), RPC patterns, stream and durable names, status codes and outcome names. No tenant, user or run id.

/** Every HTTP request a service answers (the gateway's API, every service's /health and /metrics). */
export const httpRequests = counter({
  name: 'policyvault_http_requests_total',
  help: 'HTTP requests answered, by method, route template (unmatched for none) and status code.',
  labelNames: ['method', 'route', 'status'],
});

/** Latency until the response is finished; event streams (SSE) are left out: they last as long as the client stays. */
export const httpRequestDuration = histogram({
  name: 'policyvault_http_request_duration_seconds',
  help: 'HTTP request latency in seconds (event streams excluded), by method and route template.',
  labelNames: ['method', 'route'],
  buckets: LATENCY_BUCKETS,
});

/** Requests this service sent over NATS request/reply, by what came back (`ok` or an RpcErrorCode). */
export const rpcClientRequests = counter({
  name: 'policyvault_rpc_client_requests_total',
  help: 'RPC requests sent, by pattern and outcome (ok, or the error code: unavailable for a timeout or no responder).',
  labelNames: ['pattern', 'outcome'],
});

export const rpcClientDuration = histogram({
  name: 'policyvault_rpc_client_duration_seconds',
  help: 'RPC request latency seen by the caller, in seconds, by pattern.',
  labelNames: ['pattern'],
  buckets: LATENCY_BUCKETS,
});

/** Requests this service answered on its RPC subjects. */
export const rpcServerRequests = counter({
  name: 'policyvault_rpc_server_requests_total',
  help: 'RPC requests handled, by pattern and outcome (ok, or the error code answered).',
  labelNames: ['pattern', 'outcome'],
});

export const rpcServerDuration = histogram({
  name: 'policyvault_rpc_server_duration_seconds',
  help: 'RPC handling time in seconds, by pattern.',
  labelNames: ['pattern'],
  buckets: LATENCY_BUCKETS,
});

/** Messages a durable JetStream consumer of this process settled (JetStreamPullConsumer). */
export const jetStreamMessages = counter({
  name: 'policyvault_jetstream_messages_total',
  help: 'JetStream messages handled, by stream, durable and outcome (ack, retry = nak with delay, reject = recorded and terminated, exhausted = max deliveries reached, unsettled = the ack/nak/term itself failed: redelivered after ack_wait).',
  labelNames: ['stream', 'durable', 'outcome'],
});

export const jetStreamRedeliveries = counter({
  name: 'policyvault_jetstream_redeliveries_total',
  help: 'JetStream messages received again (delivery count above 1), by stream and durable.',
  labelNames: ['stream', 'durable'],
});

export const jetStreamHandleDuration = histogram({
  name: 'policyvault_jetstream_handle_duration_seconds',
  help: 'Time to handle one JetStream message (commands: the whole run), in seconds, by stream and durable.',
  labelNames: ['stream', 'durable'],
  buckets: [...LATENCY_BUCKETS, 60, 300, 900, 3600],
});

// Read from the consumer's info when Prometheus scrapes. Every replica of a service reports the same durable:
// aggregate with max(), not sum().
export const jetStreamConsumerPending = sampledGauge({
  name: 'policyvault_jetstream_consumer_pending_messages',
  help: 'Messages on the stream not yet delivered to the durable consumer (consumer info num_pending).',
  labelNames: ['stream', 'durable'],
});

export const jetStreamConsumerAckPending = sampledGauge({
  name: 'policyvault_jetstream_consumer_ack_pending_messages',
  help: 'Messages delivered to the durable consumer and not yet acknowledged (num_ack_pending).',
  labelNames: ['stream', 'durable'],
});

export const jetStreamConsumerRedelivered = sampledGauge({
  name: 'policyvault_jetstream_consumer_redelivered_messages',
  help: 'Messages of the durable consumer currently being redelivered (num_redelivered).',
  labelNames: ['stream', 'durable'],
});
