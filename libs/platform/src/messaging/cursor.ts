import { RpcException } from './rpc.exception.js';

/** Opaque keyset-pagination cursors: the sort key of the last row of a page, base64url-encoded. */
export function encodeCursor(parts: string[]): string {
  return Buffer.from(JSON.stringify(parts)).toString('base64url');
}

/** The sort key a cursor holds; anything this API did not hand out is a `validation_failed` reply. */
export function decodeCursor(cursor: string, length: number): string[] {
  try {
    const parts = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (Array.isArray(parts) && parts.length === length && parts.every((part) => typeof part === 'string')) return parts;
  } catch {
    // fall through
  }
  throw RpcException.validation(['cursor: is not a cursor this API returned']);
}
