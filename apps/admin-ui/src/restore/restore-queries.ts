import { useQuery } from '@tanstack/react-query';
import type { BackupItemView, Page, RestorePreviewItemView, RestorePreviewPage } from '../api/contracts';
import { api, queryString } from '../api/http';
import { queryKeys } from '../api/query-keys';

const PAGE = 200;

/** Every page of a list, following its cursor (a restore picks from the whole set, a preview shows every item). */
async function allPages<T, P extends Page<T>>(read: (cursor: string | undefined) => Promise<P>): Promise<{ first: P; items: T[] }> {
  const first = await read(undefined);
  const items = [...first.items];
  for (let cursor = first.nextCursor; cursor; ) {
    const page = await read(cursor);
    items.push(...page.items);
    cursor = page.nextCursor;
  }
  return { first, items };
}

export function useAllBackupItems(tenantId: string, setId: string) {
  return useQuery({
    queryKey: queryKeys.backupSets.allItems(tenantId, setId),
    queryFn: async ({ signal }) =>
      (await allPages<BackupItemView, Page<BackupItemView>>((cursor) => api(`/api/tenants/${tenantId}/backup-sets/${setId}/items${queryString({ cursor, limit: PAGE })}`, { signal }))).items,
  });
}

export interface RestorePreview {
  page: RestorePreviewPage;
  items: RestorePreviewItemView[];
}

/** A finished restore.preview run's plan (stored when it ran: reading computes nothing). */
export function useRestorePreview(tenantId: string, runId: string, enabled: boolean) {
  return useQuery({
    queryKey: queryKeys.runs.restorePreview(tenantId, runId),
    queryFn: async ({ signal }): Promise<RestorePreview> => {
      const { first, items } = await allPages<RestorePreviewItemView, RestorePreviewPage>((cursor) =>
        api(`/api/tenants/${tenantId}/runs/${runId}/preview${queryString({ cursor, limit: PAGE })}`, { signal }),
      );
      return { page: first, items };
    },
    enabled,
    staleTime: Infinity,
  });
}
