import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { BulkOnboarding, Me, Member, OnboardedTenant, TenantDetail, TenantRoleValue } from '../api/contracts';
import { ApiError } from '../api/api-error';
import { api, authorizedHeaders } from '../api/http';
import { queryKeys } from '../api/query-keys';
import { isDirectoryAdmin } from '../api/roles';

export function useMe() {
  return useQuery({ queryKey: queryKeys.me(), queryFn: ({ signal }) => api<Me>('/api/me', { signal }), staleTime: 5 * 60_000 });
}

/** An MSP administrator (directory role admin): onboards and removes tenants. False until /api/me answered. */
export function useIsAdmin(): boolean {
  return isDirectoryAdmin(useMe().data?.directoryRole);
}

export function useTenant(tenantId: string) {
  return useQuery({ queryKey: queryKeys.tenant(tenantId), queryFn: ({ signal }) => api<TenantDetail>(`/api/tenants/${tenantId}`, { signal }) });
}

/** After a change to the directory: the tenant list (switcher, layout), the tenant and the fleet are read again. */
function useDirectoryChanged() {
  const queryClient = useQueryClient();
  return (tenantId?: string) => {
    void queryClient.invalidateQueries({ queryKey: queryKeys.tenants(), exact: true });
    void queryClient.invalidateQueries({ queryKey: queryKeys.fleet.pages() });
    if (tenantId) void queryClient.invalidateQueries({ queryKey: queryKeys.tenant(tenantId) });
  };
}

export interface OnboardRequest {
  directoryId?: string;
  domain?: string;
  displayName: string;
  tags: string[];
}

export function useOnboardTenant() {
  const changed = useDirectoryChanged();
  return useMutation({
    mutationFn: (request: OnboardRequest) => api<OnboardedTenant>('/api/tenants', { method: 'POST', body: request }),
    onSuccess: () => changed(),
  });
}

/** POST /api/tenants/bulk takes the CSV as it is (text/csv); the gateway parses it and answers per line. */
export function useBulkOnboard() {
  const changed = useDirectoryChanged();
  return useMutation({
    mutationFn: async (csv: string) => {
      const response = await fetch('/api/tenants/bulk', { method: 'POST', headers: await authorizedHeaders({ 'content-type': 'text/csv' }), body: csv });
      if (!response.ok) throw await ApiError.fromResponse(response);
      return (await response.json()) as BulkOnboarding;
    },
    onSuccess: () => changed(),
  });
}

export function useUpdateTenant(tenantId: string) {
  const changed = useDirectoryChanged();
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (changes: { displayName?: string; tags?: string[] }) => api<TenantDetail>(`/api/tenants/${tenantId}`, { method: 'PATCH', body: changes }),
    onSuccess: (tenant) => {
      queryClient.setQueryData(queryKeys.tenant(tenantId), tenant);
      changed(tenantId);
    },
  });
}

export function useRemoveTenant(tenantId: string) {
  const changed = useDirectoryChanged();
  return useMutation({
    mutationFn: () => api<void>(`/api/tenants/${tenantId}`, { method: 'DELETE' }),
    onSuccess: () => changed(tenantId),
  });
}

export function useMembers(tenantId: string) {
  return useQuery({ queryKey: queryKeys.members(tenantId), queryFn: ({ signal }) => api<{ items: Member[] }>(`/api/tenants/${tenantId}/members`, { signal }) });
}

/** Add, change a role, remove: each answers with the API's message (e.g. the last-owner 409) through the mutation's error. */
export function useMemberMutations(tenantId: string) {
  const queryClient = useQueryClient();
  const refresh = () => void queryClient.invalidateQueries({ queryKey: queryKeys.members(tenantId) });
  const base = `/api/tenants/${tenantId}/members`;
  return {
    add: useMutation({ mutationFn: (body: { email: string; role: TenantRoleValue }) => api<Member>(base, { method: 'POST', body }), onSuccess: refresh }),
    changeRole: useMutation({
      mutationFn: ({ userId, role }: { userId: string; role: TenantRoleValue }) => api<Member>(`${base}/${userId}`, { method: 'PATCH', body: { role } }),
      onSuccess: refresh,
    }),
    remove: useMutation({ mutationFn: (userId: string) => api<void>(`${base}/${userId}`, { method: 'DELETE' }), onSuccess: refresh }),
  };
}
