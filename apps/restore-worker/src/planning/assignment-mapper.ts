import type { CapturedReferences } from '@policyvault/contracts';
import { withoutServerManaged, type GraphClient } from '@policyvault/graph';
import { ReferenceMapper, type UnmappedReference } from './reference-mapper.js';

export type { UnmappedReference } from './reference-mapper.js';

type GraphObject = Record<string, unknown>;

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
 * Maps a snapshot's assignments to the target tenant through the run's ReferenceMapper: groups (never
 * created by a restore) keep their ids in the same tenant and are found by display name in another;
 * assignment filters by id, then by name. An unmapped inclusion is dropped (the policy reaches fewer
 * devices); an unmapped exclusion or filter blocks the item's assignments (dropping it would reach more).
 */
export class AssignmentMapper {
  private readonly references: ReferenceMapper;

  /**
   * @param sourceFilterNames names of the set's assignment filters by id (foundation items), for items
   *   captured without reference names.
   * @param references the run's mapper, to share its lookups with the object mapping (made here when absent).
   */
  constructor(client: GraphClient, crossTenant: boolean, sourceFilterNames: ReadonlyMap<string, string> = new Map(), references?: ReferenceMapper) {
    this.references = references ?? new ReferenceMapper(client, crossTenant, { filter: Object.fromEntries(sourceFilterNames) });
  }

  /** @param names the backup item's captured reference names. */
  async map(assignments: unknown, names: CapturedReferences = {}): Promise<MappedAssignments> {
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
      let keep = true;
      if (typeof target.groupId === 'string') {
        const group = await this.references.resolve('group', target.groupId, names);
        if (group.mapped) target.groupId = group.id;
        else {
          unmapped.push({ kind: 'group', id: target.groupId, name: group.name, reason: group.reason, blocking: target['@odata.type'] === EXCLUSION });
          keep = false;
        }
      }
      const filterId = target[FILTER_ID];
      if (keep && typeof filterId === 'string' && filterId !== '' && target[FILTER_TYPE] !== 'none') {
        const filter = await this.references.resolve('filter', filterId, names);
        if (filter.mapped) target[FILTER_ID] = filter.id;
        else {
          unmapped.push({ kind: 'filter', id: filterId, name: filter.name, reason: filter.reason, blocking: true });
          keep = false;
        }
      }
      if (keep) mapped.push({ ...assignment, target });
    }
    return { mapped, unmapped, blocked: unmapped.some((reference) => reference.blocking) };
  }
}
