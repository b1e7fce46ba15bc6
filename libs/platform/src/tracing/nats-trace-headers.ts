import { ROOT_CONTEXT, context, propagation, type Context, type TextMapGetter, type TextMapSetter } from '@opentelemetry/api';
import { headers as natsHeaders, type MsgHdrs } from '@nats-io/transport-node';
import { tracingActive } from './spans.js';

const setter: TextMapSetter<MsgHdrs> = { set: (carrier, key, value) => carrier.set(key, value) };
const getter: TextMapGetter<MsgHdrs> = {
  keys: (carrier) => carrier.keys(),
  // MsgHdrs answers '' for a missing header; the propagator wants undefined.
  get: (carrier, key) => carrier.get(key) || undefined,
};

/**
 * Adds the active (or given) trace context to a NATS message's headers (W3C `traceparent`), creating them
 * when the message has none; without tracing the headers are returned untouched.
 */
export function withTraceHeaders(headers: MsgHdrs | undefined, from: Context = context.active()): MsgHdrs | undefined {
  if (!tracingActive()) return headers;
  const carrier = headers ?? natsHeaders();
  propagation.inject(from, carrier, setter);
  return carrier.keys().length > 0 ? carrier : headers;
}

/** The trace context a received NATS message carries in its headers (none: a new trace). */
export function contextOfHeaders(headers: MsgHdrs | undefined): Context {
  if (!tracingActive() || !headers) return ROOT_CONTEXT;
  return propagation.extract(ROOT_CONTEXT, headers, getter);
}
