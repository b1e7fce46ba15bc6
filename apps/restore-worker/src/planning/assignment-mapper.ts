import { GraphError, listPolicies, type GraphClient } from '@policyvault/graph';
import { SafeErrorCode } from '@policyvault/contracts';
import { withoutServerManaged } from './comparable-object.js';

type GraphObject = Record<string, unknown>;

export interface UnmappedReference {
  kind: 'group' | 'filter';
  /** The id in the backup's tenant. */
  id: string;
  reason: 'group_not_in_target_tenant' | 'filter_not_in_target_tenant';
  /** An exclusion (or a filter) that cannot be mapped blocks the item's assignments: dropping it would widen them. */
  blocking: boolean;
}

export interface MappedAssignments {
  /** Assignments as they would be written to the target tenant (server ids removed). */
  mapped: GraphObject[];
  unmapped: UnmappedReference[];
  /** True when writing `mapped` would give the policy a wider reach than the snapshot: not written. */
  blocked: boolean;
}

const EXCLUSION = '#microsoft.graph.exclusionGroupAssignmentTarget';
const FILTER_ID = 'deviceAndAppManagementAssignmentFilterId';
const FILTER_TYPE = 'deviceAndAppManagementAssignmentFilterType';

const isPlainObject = (value: unknown): value is GraphObject => typeof value === 'object' && value !== null && !Array.isArray(value);

/**
 * Maps a snapshot's assignments to the target tenant. Groups are directory objects a restore never
 * creates: in the same tenant their ids stand; in another tenant a group is kept only when its id
 * exists there (Graph `GET /groups/{id}`). Assignment filters are matched by id, then by the name the
 * backup set recorded for them. An unmapped inclusion is dropped (the policy reaches fewer devices);
 * an unmapped exclusion or filter blocks the item's assignments (dropping it would reach more).
 */
export class AssignmentMapper {
  private filters?: Promise<{ ids: Set<string>; byName: Map<string, string> }>;
  private readonly groups = new Map<string, Promise<boolean>>();

  constructor(
    private readonly client: GraphClient,
    private readonly crossTenant: boolean,
    /** Filter id in the backup's tenant → its display name (from the set's foundation items). */
    private readonly sourceFilterNames: ReadonlyMap<string, string>,
  ) {}

  async map(assignments: unknown): Promise<MappedAssignments> {
    const mapped: GraphObject[] = [];
    const unmapped: UnmappedReference[] = [];
    for (const raw of Array.isArray(assignments) ? assignments : []) {
      if (!isPlainObject(raw)) continue;
      const assignment = withoutServerManaged(raw) as GraphObject;
      const target = isPlainObject(assignment.target) ? { ...assignment.target } : undefined;
      if (!target) {
        mapped.push(assignment);
        continue;
      }
      const exclusion = target['@odata.type'] === EXCLUSION;
      let keep = true;
      if (typeof target.groupId === 'string' && this.crossTenant && !(await this.groupExists(target.groupId))) {
        unmapped.push({ kind: 'group', id: target.groupId, reason: 'group_not_in_target_tenant', blocking: exclusion });
        keep = false;
      }
      const filterId = target[FILTER_ID];
      if (keep && typeof filterId === 'string' && filterId !== '' && target[FILTER_TYPE] !== 'none') {
        const mappedFilter = await this.mapFilter(filterId);
        if (mappedFilter) target[FILTER_ID] = mappedFilter;
        else {
          unmapped.push({ kind: 'filter', id: filterId, reason: 'filter_not_in_target_tenant', blocking: true });
          keep = false;
        }
      }
      if (keep) mapped.push({ ...assignment, target });
    }
    return { mapped, unmapped, blocked: unmapped.some((reference) => reference.blocking) };
  }

  private async mapFilter(sourceId: string): Promise<string | undefined> {
    this.filters ??= this.listFilters();
    const filters = await this.filters;
    if (filters.ids.has(sourceId)) return sourceId;
    const name = this.sourceFilterNames.get(sourceId);
    return name === undefined ? undefined : filters.byName.get(name);
  }

  private async listFilters(): Promise<{ ids: Set<string>; byName: Map<string, string> }> {
    const result = await listPolicies(this.client, 'assignmentFilter');
    const items = result.supported ? result.items : [];
    const byName = new Map<string, string>();
    for (const item of items) if (typeof item.displayName === 'string' && !byName.has(item.displayName)) byName.set(item.displayName, String(item.id));
    return { ids: new Set(items.map((item) => String(item.id))), byName };
  }

  private groupExists(groupId: string): Promise<boolean> {
    let known = this.groups.get(groupId);
    if (!known) {
      known = this.client.get(`/v1.0/groups/${encodeURIComponent(groupId)}?$select=id`).then(
        () => true,
        (error: unknown) => {
          if (error instanceof GraphError && (error.code === SafeErrorCode.GraphNotFound || error.code === SafeErrorCode.GraphBadRequest)) return false;
          this.groups.delete(groupId);
          throw error;
        },
      );
      this.groups.set(groupId, known);
    }
    return known;
  }
}
