import { decodeCursor, encodeCursor } from '@policyvault/platform';
import { GatewayException } from '../errors/gateway.exception.js';
import type { TenantListPosition, VisibleTenantRow } from './tenant-directory.repository.js';

export function tenantListCursor(row: Pick<VisibleTenantRow, 'displayName' | 'id'>): string {
  return encodeCursor([row.displayName, row.id]);
}

/** The position a cursor holds; 400 for anything this API did not hand out. */
export function tenantListPosition(cursor: string | undefined): TenantListPosition | undefined {
  if (cursor === undefined) return undefined;
  try {
    const [displayName, id] = decodeCursor(cursor, 2);
    if (!/^[0-9a-f-]{36}$/i.test(id)) throw new Error('not an id');
    return [displayName, id];
  } catch {
    throw GatewayException.invalidRequest('cursor: is not a cursor this API returned');
  }
}
