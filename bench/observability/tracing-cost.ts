// The tracing side of bench/observability: an OTLP sink the traced services export to (protobuf, the default
// protocol, as a real collector would receive it), what each segment exported, the spans the SDK dropped, and
// the in-process cost of one span.
import { readFileSync } from 'node:fs';
import pg from 'pg';
import { SpanKind, inSpan, startTracing, traceCarrier, tracingActive } from '@policyvault/platform';
import { startOtlpCollector, type OtlpCollector, type ServiceProcess } from '@policyvault/testing';

export type TracingSink = OtlpCollector;

export const startTracingSink = startOtlpCollector;

/** A traced configuration's variables: export every span to the sink with the SDK's defaults otherwise. */
export const tracingEnv = (sink: TracingSink): Record<string, string> => ({ OTEL_EXPORTER_OTLP_ENDPOINT: sink.url });

/** A traced segment's export, warm-up included. */
export interface ExportFigures {
  exportRequests: number;
  exportBytes: number;
  exportBytesPerStart: number;
  /** Spans the batch processor dropped because its queue was full (its "Dropped N spans" warnings). */
  droppedSpans: number;
}

const droppedSeen = new Map<string, number>();

/** Spans dropped since the last call, from the services' logs (each service logs the SDK's warnings). */
function droppedSpansSince(services: ServiceProcess[]): number {
  let dropped = 0;
  for (const { logFile } of services) {
    const total = [...readFileSync(logFile, 'utf8').matchAll(/Dropped (\d+) spans/g)].reduce((sum, match) => sum + Number(match[1]), 0);
    dropped += total - (droppedSeen.get(logFile) ?? 0);
    droppedSeen.set(logFile, total);
  }
  return dropped;
}

async function countRuns(databaseUrl: string): Promise<number> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    return Number((await client.query<{ count: string }>('SELECT count(*) FROM run_service.runs')).rows[0].count);
  } finally {
    await client.end();
  }
}

/**
 * What the sink has received and how many runs were started (warm-up included) since it was made; `since(services)`,
 * called after the services stopped (they flush their spans on SIGTERM), gives a segment's figures.
 */
export async function exportCounter(sink: TracingSink, databaseUrl: string): Promise<{ since(services: ServiceProcess[]): Promise<ExportFigures> }> {
  const requests = sink.requests;
  const bytes = sink.bytes;
  const runs = await countRuns(databaseUrl);
  return {
    async since(services) {
      const started = (await countRuns(databaseUrl)) - runs;
      const exportBytes = sink.bytes - bytes;
      return {
        exportRequests: sink.requests - requests,
        exportBytes,
        exportBytesPerStart: Math.round(exportBytes / Math.max(1, started)),
        droppedSpans: droppedSpansSince(services),
      };
    },
  };
}

/**
 * In this process: microseconds per span as the start path makes them (a span with three attributes, active
 * around an awaited step, its context injected into a carrier), with the SDK exporting to the sink and without
 * tracing. A start makes five (gateway: HTTP server, RPC client; run-service: RPC server, two relay publishes).
 */
export async function spanCost(sink: TracingSink): Promise<Record<'tracing off' | 'tracing on', { spanMicroseconds: number }>> {
  const spans = 100_000;
  const time = async () => {
    const one = () => inSpan('bench', { kind: SpanKind.PRODUCER, attributes: { 'messaging.system': 'nats', 'messaging.destination.name': 'pv.cmd.bench', 'policyvault.run_id': 'run' } }, async () => traceCarrier());
    for (let index = 0; index < spans / 10; index += 1) await one(); // warm-up
    const started = process.hrtime.bigint();
    for (let index = 0; index < spans; index += 1) await one();
    return { spanMicroseconds: Number((Number(process.hrtime.bigint() - started) / spans / 1000).toFixed(3)) };
  };
  if (tracingActive()) throw new Error('spanCost measures "off" first: tracing must not be started in this process yet');
  const off = await time();
  startTracing('bench', undefined, { OTEL_EXPORTER_OTLP_ENDPOINT: sink.url });
  const on = await time();
  return { 'tracing off': off, 'tracing on': on };
}
