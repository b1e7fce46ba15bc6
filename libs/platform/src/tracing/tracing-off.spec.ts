import { jest } from '@jest/globals';
import { trace } from '@opentelemetry/api';
import type { JetStreamClient, JsMsg } from '@nats-io/jetstream';
import { consumeInSpan, publishTraced } from './jetstream-tracing.js';
import { withTraceHeaders } from './nats-trace-headers.js';
import { RpcClientTrace } from './rpc-tracing.js';
import { inSpan, traceCarrier, tracingActive } from './spans.js';
import { startTracing } from './tracing-sdk.js';

describe('tracing off (no OTEL_* variables): nothing is registered, exported or added to messages', () => {
  beforeAll(() => {
    expect(startTracing('run-service', undefined, { OTEL_EXPORTER_OTLP_METRICS_ENDPOINT: 'http://127.0.0.1:1/v1/metrics' })).toBe(false);
  });

  it('registers no tracer provider: spans do not record', () => {
    expect(tracingActive()).toBe(false);
    expect(trace.getTracer('probe').startSpan('probe').isRecording()).toBe(false);
  });

  it('runs work without a span, stores no trace context and sends no trace headers', async () => {
    await expect(inSpan('work', {}, async (span) => span.isRecording())).resolves.toBe(false);
    expect(traceCarrier()).toBeNull();
    expect(withTraceHeaders(undefined)).toBeUndefined();
    expect(RpcClientTrace.start('rpc.runs.start.v1', 'pv.rpc.runs.start.v1')).toBeNull();
  });

  it('publishes and consumes JetStream messages exactly as without tracing', async () => {
    const publish = jest.fn(async () => ({ stream: 'PV_COMMANDS', seq: 1, duplicate: false }));
    const options = { msgID: 'run:1:command', timeout: 5000 };
    await publishTraced({ publish } as unknown as JetStreamClient, 'pv.cmd.capture.x.v1', '{}', options, { name: 'outbox publish', parent: { traceparent: '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01' } });
    expect(publish).toHaveBeenCalledWith('pv.cmd.capture.x.v1', '{}', options);
    expect(options).toEqual({ msgID: 'run:1:command', timeout: 5000 });
    await expect(consumeInSpan({} as JsMsg, { stream: 'PV_COMMANDS', durable: 'capture-worker' }, async () => 'handled')).resolves.toBe('handled');
  });
});
