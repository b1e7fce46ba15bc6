import type { DriftItemStatus } from '../api/contracts';

/** A drift report page's URL state: which items, which page (kept apart from the page so the router need not load it). */
export interface DriftReportSearch {
  status?: DriftItemStatus;
  cursor?: string;
}

export const ITEM_STATUSES: DriftItemStatus[] = ['changed', 'removed', 'added', 'unchanged'];

export function parseDriftReportSearch(search: Record<string, unknown>): DriftReportSearch {
  return {
    status: ITEM_STATUSES.find((status) => status === search.status),
    cursor: typeof search.cursor === 'string' && search.cursor !== '' ? search.cursor : undefined,
  };
}
