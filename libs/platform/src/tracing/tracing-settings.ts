import { ConfigError } from '../config/load-config.js';

/** Where finished spans go: OTLP over HTTP (protobuf or JSON), or the console (debugging). */
export interface TracingSettings {
  exporters: ('otlp' | 'console')[];
  protocol: 'http/protobuf' | 'http/json';
}

const EXPORTERS = ['otlp', 'console', 'none'] as const;
const PROTOCOLS = ['http/protobuf', 'http/json'] as const;

const value = (env: NodeJS.ProcessEnv, name: string) => {
  const text = env[name]?.trim();
  return text ? text : undefined;
};

/**
 * Whether this process traces, from the standard OTEL_* variables only: on when an OTLP endpoint is set
 * (OTEL_EXPORTER_OTLP_ENDPOINT or OTEL_EXPORTER_OTLP_TRACES_ENDPOINT) or OTEL_TRACES_EXPORTER names an
 * exporter; off (null) otherwise, with OTEL_TRACES_EXPORTER=none or OTEL_SDK_DISABLED=true. A value we cannot
 * honour (grpc, an unknown exporter) stops the service with the variable's name, like any bad configuration.
 */
export function tracingSettings(env: NodeJS.ProcessEnv = process.env): TracingSettings | null {
  if (value(env, 'OTEL_SDK_DISABLED')?.toLowerCase() === 'true') return null;
  const named = value(env, 'OTEL_TRACES_EXPORTER')
    ?.split(',')
    .map((name) => name.trim().toLowerCase())
    .filter(Boolean);
  const problems: string[] = [];
  for (const name of named ?? []) {
    if (!(EXPORTERS as readonly string[]).includes(name)) problems.push(`OTEL_TRACES_EXPORTER: ${name} is not one of ${EXPORTERS.join(', ')}`);
  }
  const protocol = value(env, 'OTEL_EXPORTER_OTLP_TRACES_PROTOCOL') ?? value(env, 'OTEL_EXPORTER_OTLP_PROTOCOL') ?? 'http/protobuf';
  if (!(PROTOCOLS as readonly string[]).includes(protocol)) {
    problems.push(`OTEL_EXPORTER_OTLP_TRACES_PROTOCOL / OTEL_EXPORTER_OTLP_PROTOCOL: must be ${PROTOCOLS.join(' or ')}`);
  }
  if (problems.length > 0) throw new ConfigError(problems);
  const endpoint = value(env, 'OTEL_EXPORTER_OTLP_TRACES_ENDPOINT') ?? value(env, 'OTEL_EXPORTER_OTLP_ENDPOINT');
  const exporters = (named ?? (endpoint ? ['otlp'] : [])).filter((name): name is 'otlp' | 'console' => name !== 'none');
  if (exporters.length === 0 || named?.includes('none')) return null;
  return { exporters: [...new Set(exporters)], protocol: protocol as TracingSettings['protocol'] };
}
