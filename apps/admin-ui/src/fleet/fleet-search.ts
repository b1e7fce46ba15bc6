// The fleet dashboard's view state lives in the URL (`/fleet?sort=-health&health=no_consent&noBackupDays=7`);
// these map it to and from GET /api/fleet's query, which sorts, filters and pages on the server.
import type { FleetDriftFilter, FleetHealthFilter, FleetSort } from '../api/contracts';
import { HEALTH_LABELS } from '../tenants/tenant-health';

export const FLEET_PAGE_SIZE = 50;

/** The columns the API sorts by; `-` before one reverses it. */
export const FLEET_SORT_KEYS = ['name', 'lastBackupAt', 'health', 'lastFailedAt'] as const satisfies readonly FleetSort[];
export type FleetSortKey = (typeof FLEET_SORT_KEYS)[number];

export const HEALTH_FILTER_LABELS: Record<FleetHealthFilter, string> = { ...HEALTH_LABELS, unknown: 'Never checked' };
export const DRIFT_FILTER_LABELS: Record<FleetDriftFilter, string> = { none: 'No drift', drifted: 'Drifted', unknown: 'Never checked' };
/** "No good backup in the last N days": the choices offered (the API takes any instant). */
export const NO_BACKUP_DAYS = [1, 7, 30] as const;

export interface FleetSearch {
  sort?: FleetSort;
  health?: FleetHealthFilter;
  drift?: FleetDriftFilter;
  tag?: string;
  noBackupDays?: number;
  cursor?: string;
  /** The fleet batch shown under the table (the one just started, or a shared link to one). */
  batch?: string;
}

const DAY_MS = 24 * 60 * 60 * 1000;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function oneOf<T extends string>(value: unknown, allowed: readonly T[]): T | undefined {
  return typeof value === 'string' && (allowed as readonly string[]).includes(value) ? (value as T) : undefined;
}

const SORTS: readonly FleetSort[] = FLEET_SORT_KEYS.flatMap((key) => [key, `-${key}` as const]);

/** The route's validateSearch: anything unknown or malformed is dropped (a hand-edited URL still opens). */
export function parseFleetSearch(raw: Record<string, unknown>): FleetSearch {
  const days = Number(raw.noBackupDays);
  const tag = typeof raw.tag === 'string' ? raw.tag.trim() : '';
  return {
    sort: oneOf(raw.sort, SORTS) === 'name' ? undefined : oneOf(raw.sort, SORTS),
    health: oneOf(raw.health, Object.keys(HEALTH_FILTER_LABELS) as FleetHealthFilter[]),
    drift: oneOf(raw.drift, Object.keys(DRIFT_FILTER_LABELS) as FleetDriftFilter[]),
    tag: tag !== '' ? tag.slice(0, 64) : undefined,
    noBackupDays: Number.isInteger(days) && days > 0 && days <= 3650 ? days : undefined,
    cursor: typeof raw.cursor === 'string' && raw.cursor !== '' ? raw.cursor : undefined,
    batch: typeof raw.batch === 'string' && UUID.test(raw.batch) ? raw.batch.toLowerCase() : undefined,
  };
}

/** GET /api/fleet's query for the URL's state; `now` fixes "N days ago" to an instant. */
export function fleetApiQuery(search: FleetSearch, now: Date): Record<string, string | undefined> {
  return {
    sort: search.sort,
    health: search.health,
    drift: search.drift,
    tag: search.tag,
    noSuccessfulBackupSince: search.noBackupDays === undefined ? undefined : new Date(now.getTime() - search.noBackupDays * DAY_MS).toISOString(),
    cursor: search.cursor,
    limit: String(FLEET_PAGE_SIZE),
  };
}

/** The URL's filters only (what a filter change keeps, and what decides "no tenant matches" vs "no tenants"). */
export function hasFleetFilters(search: FleetSearch): boolean {
  return search.health !== undefined || search.drift !== undefined || search.tag !== undefined || search.noBackupDays !== undefined;
}

/** The order a click on a column's header asks for: that column ascending, or reversed when it is the current one. */
export function toggleFleetSort(current: FleetSort | undefined, key: FleetSortKey): FleetSort | undefined {
  const active = current ?? 'name';
  const next: FleetSort = active === key ? `-${key}` : key;
  return next === 'name' ? undefined : next;
}

/** aria-sort of a column's header. */
export function fleetSortState(current: FleetSort | undefined, key: FleetSortKey): 'ascending' | 'descending' | 'none' {
  const active = current ?? 'name';
  if (active === key) return 'ascending';
  if (active === `-${key}`) return 'descending';
  return 'none';
}
