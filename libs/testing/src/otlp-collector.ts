// A tiny OTLP/HTTP trace collector for tests and benchmarks: services export to it with
// OTEL_EXPORTER_OTLP_ENDPOINT. JSON exports (OTEL_EXPORTER_OTLP_TRACES_PROTOCOL=http/json, otlpCollectorEnv) are
// decoded and every span kept; protobuf ones (the exporters' default) are only counted, as a sink.
import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { gunzipSync } from 'node:zlib';

/** One received span, flattened: ids as hex, attributes as plain values. */
export interface CollectedSpan {
  service: string;
  traceId: string;
  spanId: string;
  /** Undefined for a trace's root. */
  parentSpanId?: string;
  name: string;
  /** OTLP's SpanKind: 1 internal, 2 server, 3 client, 4 producer, 5 consumer. */
  kind: number;
  attributes: Record<string, string | number | boolean>;
  /** OTLP's status code: 0 unset, 1 ok, 2 error. */
  statusCode: number;
}

export const OtlpSpanKind = { internal: 1, server: 2, client: 3, producer: 4, consumer: 5 } as const;

export interface OtlpCollector {
  url: string;
  spans: CollectedSpan[];
  /** Export requests received (an exporter batches many spans in one), and their bytes (uncompressed). */
  requests: number;
  bytes: number;
  close(): Promise<void>;
}

type OtlpValue = { stringValue?: string; intValue?: string | number; doubleValue?: number; boolValue?: boolean };
type OtlpAttribute = { key: string; value: OtlpValue };
interface OtlpSpan {
  traceId: string;
  spanId: string;
  parentSpanId?: string;
  name: string;
  kind: number;
  attributes?: OtlpAttribute[];
  status?: { code?: number };
}
interface OtlpTraces {
  resourceSpans?: { resource?: { attributes?: OtlpAttribute[] }; scopeSpans?: { spans?: OtlpSpan[] }[] }[];
}

const plain = (value: OtlpValue): string | number | boolean =>
  value.stringValue ?? (value.intValue !== undefined ? Number(value.intValue) : undefined) ?? value.doubleValue ?? value.boolValue ?? '';

const attributeMap = (attributes: OtlpAttribute[] = []) => Object.fromEntries(attributes.map(({ key, value }) => [key, plain(value)]));

async function body(request: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  const raw = Buffer.concat(chunks);
  return request.headers['content-encoding'] === 'gzip' ? gunzipSync(raw) : raw;
}

/** Listens on a free port of 127.0.0.1 and answers every OTLP/HTTP trace export with 200. */
export async function startOtlpCollector(): Promise<OtlpCollector> {
  const collector: OtlpCollector = { url: '', spans: [], requests: 0, bytes: 0, close: async () => undefined };
  const server = createServer(async (request, response) => {
    const type = String(request.headers['content-type']);
    if (request.method !== 'POST' || request.url !== '/v1/traces' || !/^application\/(json|x-protobuf)/.test(type)) {
      response.writeHead(415).end();
      return;
    }
    collector.requests += 1;
    const received = await body(request);
    collector.bytes += received.length;
    if (type.startsWith('application/x-protobuf')) {
      response.writeHead(200, { 'content-type': 'application/x-protobuf' }).end();
      return;
    }
    const traces = JSON.parse(received.toString('utf8')) as OtlpTraces;
    for (const resourceSpans of traces.resourceSpans ?? []) {
      const service = String(attributeMap(resourceSpans.resource?.attributes)['service.name'] ?? '');
      for (const span of (resourceSpans.scopeSpans ?? []).flatMap((scope) => scope.spans ?? [])) {
        collector.spans.push({
          service,
          traceId: span.traceId,
          spanId: span.spanId,
          parentSpanId: span.parentSpanId || undefined,
          name: span.name,
          kind: span.kind,
          attributes: attributeMap(span.attributes),
          statusCode: span.status?.code ?? 0,
        });
      }
    }
    response.writeHead(200, { 'content-type': 'application/json' }).end('{}');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  collector.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  collector.close = () => new Promise((resolve) => server.close(() => resolve()));
  return collector;
}

/** The environment that makes a service export its spans to the collector, promptly. */
export function otlpCollectorEnv(collector: OtlpCollector): Record<string, string> {
  return {
    OTEL_EXPORTER_OTLP_ENDPOINT: collector.url,
    OTEL_EXPORTER_OTLP_TRACES_PROTOCOL: 'http/json',
    OTEL_BSP_SCHEDULE_DELAY: '100',
  };
}
