import { useQuery } from '@tanstack/react-query';
import type { BackupItemView, BackupSetView, Page, PolicyView } from '../api/contracts';
import { api, queryString } from '../api/http';
import { queryKeys } from '../api/query-keys';

export function useBackupSets(tenantId: string, cursor?: string) {
  return useQuery({
    queryKey: queryKeys.backupSets.list(tenantId, cursor),
    queryFn: ({ signal }) => api<Page<BackupSetView>>(`/api/tenants/${tenantId}/backup-sets${queryString({ cursor, limit: 25 })}`, { signal }),
  });
}

export function useBackupSet(tenantId: string, setId: string) {
  return useQuery({
    queryKey: queryKeys.backupSets.detail(tenantId, setId),
    queryFn: ({ signal }) => api<BackupSetView>(`/api/tenants/${tenantId}/backup-sets/${setId}`, { signal }),
  });
}

export function useBackupItems(tenantId: string, setId: string, cursor?: string) {
  return useQuery({
    queryKey: queryKeys.backupSets.items(tenantId, setId, cursor),
    queryFn: ({ signal }) => api<Page<BackupItemView>>(`/api/tenants/${tenantId}/backup-sets/${setId}/items${queryString({ cursor, limit: 100 })}`, { signal }),
  });
}

/** The policy types present in the inventory (from its first page of 200), for choosing what to back up. */
export function useInventoryPolicyTypes(tenantId: string, enabled: boolean) {
  return useQuery({
    queryKey: queryKeys.policies.list(tenantId, { purpose: 'policy-types' }),
    queryFn: ({ signal }) => api<Page<PolicyView>>(`/api/tenants/${tenantId}/policies${queryString({ limit: 200 })}`, { signal }),
    select: (page) => [...new Set(page.items.map((policy) => policy.policyType))].sort(),
    enabled,
  });
}

export const BACKUP_SET_STATUS_COLORS: Record<BackupSetView['status'], string> = {
  capturing: 'blue.8',
  complete: 'teal.9',
  partial: 'yellow.4',
  failed: 'red.9',
};
