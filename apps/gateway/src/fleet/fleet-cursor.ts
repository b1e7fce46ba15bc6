import { GatewayException } from '../errors/gateway.exception.js';

// The fleet's pages: the overview by position (its order is computed per request), a batch by tenant id.
const NOT_OURS = 'cursor: is not a cursor this API returned';

export function encodeFleetCursor(position: string): string {
  return Buffer.from(JSON.stringify([position])).toString('base64url');
}

/** The position a cursor holds if it matches `pattern`; 400 for anything this API did not hand out. */
export function decodeFleetCursor(cursor: string, pattern: RegExp): string {
  try {
    const parts: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (Array.isArray(parts) && parts.length === 1 && typeof parts[0] === 'string' && pattern.test(parts[0])) return parts[0];
  } catch {
    // falls through to the 400
  }
  throw GatewayException.invalidRequest(NOT_OURS);
}
