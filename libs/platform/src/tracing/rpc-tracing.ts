import { SpanStatusCode, context, type Span } from '@opentelemetry/api';
import type { MsgHdrs } from '@nats-io/transport-node';
import { contextOfHeaders, withTraceHeaders } from './nats-trace-headers.js';
import { SpanKind, startSpan, tracingActive } from './spans.js';

const attributes = (pattern: string, subject: string) => ({ 'rpc.method': pattern, 'messaging.system': 'nats', 'messaging.destination.name': subject });

/** The caller's span of one NATS request: its context goes out in the request's headers. */
export class RpcClientTrace {
  private ended = false;

  private constructor(
    private readonly span: Span,
    private readonly spanContext: ReturnType<typeof context.active>,
  ) {}

  /** Null without tracing. `pattern`: the endpoint without namespace (`rpc.runs.start.v1`), the span's name. */
  static start(pattern: string, subject: string): RpcClientTrace | null {
    const started = startSpan(pattern, { kind: SpanKind.CLIENT, attributes: attributes(pattern, subject) });
    return started && new RpcClientTrace(started.span, started.context);
  }

  headers(headers: MsgHdrs | undefined): MsgHdrs | undefined {
    return withTraceHeaders(headers, this.spanContext);
  }

  /** Ends the span once: at the reply, a failure (an error reply's code), or when the caller gives up. */
  end(outcome: { errorCode?: string } = {}): void {
    if (this.ended) return;
    this.ended = true;
    if (outcome.errorCode) this.span.setStatus({ code: SpanStatusCode.ERROR, message: outcome.errorCode });
    this.span.end();
  }
}

const serverSpans = new WeakMap<object, Span>();

/**
 * The responder's side, for NestJS's processing hooks (ServerNats): the request's handling runs inside a
 * server span whose parent is the caller's span (the request's headers); the end hook closes it once the
 * reply has gone out.
 */
export function rpcServerStartHook(namespace: string) {
  return (_transport: unknown, rpcContext: unknown, done: () => Promise<unknown>): Promise<unknown> => {
    if (!tracingActive()) return done();
    const { subject, headers } = natsContextParts(rpcContext);
    const pattern = subject.startsWith(`${namespace}.`) ? subject.slice(namespace.length + 1) : subject;
    const started = startSpan(pattern, { kind: SpanKind.SERVER, parent: contextOfHeaders(headers), attributes: attributes(pattern, subject) });
    if (!started) return done();
    serverSpans.set(rpcContext as object, started.span);
    return context.with(started.context, done);
  };
}

export function rpcServerEndHook(_transport: unknown, rpcContext: unknown): void {
  const span = serverSpans.get(rpcContext as object);
  if (!span) return;
  serverSpans.delete(rpcContext as object);
  span.end();
}

function natsContextParts(rpcContext: unknown): { subject: string; headers?: MsgHdrs } {
  const nats = rpcContext as { getSubject?: () => string; getHeaders?: () => MsgHdrs | undefined };
  return { subject: nats.getSubject?.() ?? 'unknown', headers: nats.getHeaders?.() };
}
