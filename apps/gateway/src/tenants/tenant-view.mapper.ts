import type { TenantHealthResponse, TenantResponse } from './tenant.response.js';
import type { VisibleTenantRow } from './tenant-directory.repository.js';

const isoOrNull = (value: Date | string | null): string | null => (value === null ? null : new Date(value).toISOString());

export function toTenantResponse(row: VisibleTenantRow, health: TenantHealthResponse | null): TenantResponse {
  return {
    id: row.id,
    displayName: row.displayName,
    directoryId: row.directoryId,
    role: row.role,
    tags: row.tags ?? [],
    disabledAt: isoOrNull(row.disabledAt),
    createdAt: new Date(row.createdAt).toISOString(),
    health,
  };
}
