import {
  INVALID_SPAN_CONTEXT,
  ROOT_CONTEXT,
  SpanKind,
  SpanStatusCode,
  context,
  propagation,
  trace,
  type Attributes,
  type Context,
  type Span,
} from '@opentelemetry/api';
import { RUN_TYPES_REGISTRY } from '@policyvault/contracts';

export { SpanKind, type Span };

/** The attributes that find every span of one run, or of one tenant, in a tracing backend. */
export const RunSpanAttributes = {
  runId: 'policyvault.run_id',
  tenantId: 'policyvault.tenant_id',
  runType: 'policyvault.run_type',
} as const;

/** A propagation carrier (W3C `traceparent`, `tracestate`): what travels in NATS headers and outbox rows. */
export type TraceCarrier = Record<string, string>;

let active = false;
const NOT_RECORDING: Span = trace.wrapSpanContext(INVALID_SPAN_CONTEXT);
const tracer = () => trace.getTracer('policyvault');

/** Set once by startTracing: until then every helper here is a pass-through. */
export function markTracingActive(): void {
  active = true;
}

export function tracingActive(): boolean {
  return active;
}

export interface SpanSettings {
  kind?: SpanKind;
  attributes?: Attributes;
  /** The parent (a context extracted from a message); default: the active context. */
  parent?: Context;
}

/**
 * Runs `work` inside a new span that is active for everything it starts (NATS requests, JetStream
 * publishes, Graph calls become its children) and ends when `work` settles; a throw is recorded as the
 * span's error (its type only: messages can carry data) and rethrown. Without tracing, `work` runs as is.
 */
export function inSpan<T>(name: string, settings: SpanSettings, work: (span: Span) => Promise<T>): Promise<T> {
  const started = startSpan(name, settings);
  if (!started) return work(NOT_RECORDING);
  const { span } = started;
  return context.with(started.context, async () => {
    try {
      return await work(span);
    } catch (error) {
      span.setStatus({ code: SpanStatusCode.ERROR, message: (error as Error)?.name ?? 'error' });
      throw error;
    } finally {
      span.end();
    }
  });
}

/** A span the caller ends (for work that ends in a callback, not a promise); null without tracing. */
export function startSpan(name: string, settings: SpanSettings): { span: Span; context: Context } | null {
  if (!active) return null;
  const parent = settings.parent ?? context.active();
  const span = tracer().startSpan(name, { kind: settings.kind ?? SpanKind.INTERNAL, attributes: settings.attributes }, parent);
  return { span, context: trace.setSpan(parent, span) };
}

/**
 * Names the run on the active span (or `span`): run id, tenant id and run type, from any message or view
 * that carries them (`runId`, `tenantId`, `type` when it is a run type). Other fields are ignored.
 */
export function annotateRun(source: unknown, span: Span | undefined = active ? trace.getActiveSpan() : undefined): void {
  if (!span || !span.isRecording() || typeof source !== 'object' || source === null) return;
  const { runId, tenantId, type } = source as { runId?: unknown; tenantId?: unknown; type?: unknown };
  if (typeof runId === 'string') span.setAttribute(RunSpanAttributes.runId, runId);
  if (typeof tenantId === 'string') span.setAttribute(RunSpanAttributes.tenantId, tenantId);
  if (typeof type === 'string' && Object.hasOwn(RUN_TYPES_REGISTRY, type)) span.setAttribute(RunSpanAttributes.runType, type);
}

/** The active trace context as a carrier to store (an outbox row) or send; null when nothing is traced. */
export function traceCarrier(from: Context = context.active()): TraceCarrier | null {
  if (!active) return null;
  const carrier: TraceCarrier = {};
  propagation.inject(from, carrier);
  return Object.keys(carrier).length > 0 ? carrier : null;
}

/** The context a stored or received carrier names, to parent the span that continues its work. */
export function contextOfCarrier(carrier: TraceCarrier | null | undefined): Context {
  if (!active || !carrier) return ROOT_CONTEXT;
  return propagation.extract(ROOT_CONTEXT, carrier);
}
