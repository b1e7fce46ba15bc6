import { GatewayException } from '../errors/gateway.exception.js';

/** The `Last-Event-ID` header of a reconnecting client: the stream sequence of the last event it got. */
export function parseLastEventId(header: string | string[] | undefined): number | undefined {
  if (header === undefined) return undefined;
  const value = Array.isArray(header) ? header.join(',') : header;
  if (!/^\d{1,15}$/.test(value.trim())) throw GatewayException.invalidRequest('Last-Event-ID: must be the id of an event of this stream (a non-negative integer)');
  return Number(value.trim());
}
