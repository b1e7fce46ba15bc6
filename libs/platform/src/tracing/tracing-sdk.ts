import { DiagLogLevel, diag } from '@opentelemetry/api';
import type { Logger } from 'pino';
import { OTLPTraceExporter as OtlpJsonTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { OTLPTraceExporter as OtlpProtobufTraceExporter } from '@opentelemetry/exporter-trace-otlp-proto';
import { detectResources, envDetector, hostDetector, processDetector, resourceFromAttributes } from '@opentelemetry/resources';
import { BatchSpanProcessor, ConsoleSpanExporter, NodeTracerProvider, type SpanExporter } from '@opentelemetry/sdk-trace-node';
import { ATTR_SERVICE_NAME } from '@opentelemetry/semantic-conventions';
import { markTracingActive } from './spans.js';
import { tracingSettings } from './tracing-settings.js';

let provider: NodeTracerProvider | undefined;

/**
 * Starts the OpenTelemetry SDK for this process when the OTEL_* variables ask for it (tracingSettings),
 * before the Nest app is built: a batching exporter (OTLP over HTTP, protobuf or JSON, its endpoint, headers,
 * timeout and compression read by the exporter from OTEL_EXPORTER_OTLP_*; batch sizes from OTEL_BSP_*; the
 * sampler from OTEL_TRACES_SAMPLER), W3C trace context propagation, and `service.name` = the service (other
 * resource attributes from OTEL_RESOURCE_ATTRIBUTES). Returns false, registering nothing, when tracing is off:
 * the span helpers then cost a flag check.
 */
export function startTracing(serviceName: string, logger?: Pick<Logger, 'warn' | 'error'>, env: NodeJS.ProcessEnv = process.env): boolean {
  const settings = tracingSettings(env);
  if (!settings || provider) return Boolean(provider);
  // The SDK's own troubles (an unreachable collector, spans dropped from a full queue) in the service's log.
  if (logger) {
    const quiet = () => undefined;
    const component = { component: 'opentelemetry' };
    diag.setLogger(
      { error: (message) => logger.error(component, message), warn: (message) => logger.warn(component, message), info: quiet, debug: quiet, verbose: quiet },
      DiagLogLevel.WARN,
    );
  }
  const exporters: SpanExporter[] = settings.exporters.map((name) => {
    if (name === 'console') return new ConsoleSpanExporter();
    return settings.protocol === 'http/json' ? new OtlpJsonTraceExporter() : new OtlpProtobufTraceExporter();
  });
  const detected = detectResources({ detectors: [envDetector, hostDetector, processDetector] });
  provider = new NodeTracerProvider({
    // The service's own name wins over OTEL_SERVICE_NAME: one ConfigMap may serve every service.
    resource: detected.merge(resourceFromAttributes({ [ATTR_SERVICE_NAME]: serviceName })),
    spanProcessors: exporters.map((exporter) => new BatchSpanProcessor(exporter)),
  });
  provider.register();
  markTracingActive();
  return true;
}

/** Exports the spans still buffered, then stops the SDK (the service's shutdown, after its consumers settled). */
export async function shutdownTracing(): Promise<void> {
  const stopping = provider;
  provider = undefined;
  await stopping?.shutdown().catch(() => undefined);
}
