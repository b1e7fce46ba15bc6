import type { CapturedReferences, ReferenceKind, UnmappedReferenceReason, UnmappedReferenceView } from '@policyvault/contracts';
import { SharedReads, listReferenceObjects, type GraphClient, type ListedReferenceKind } from '@policyvault/graph';

type GraphObject = Record<string, unknown>;

/** A reference the target tenant cannot resolve, reported per item (`blocking` only for assignments). */
export type UnmappedReference = UnmappedReferenceView;

export type ResolvedReference = { mapped: true; id: string } | { mapped: false; reason: UnmappedReferenceReason; name: string | null };

/** The built-in `Default` scope tag: the same id in every tenant, never mapped. */
export const BUILT_IN_SCOPE_TAG = '0';
/** The id Intune puts where no notification template is set. */
const NO_TEMPLATE = '00000000-0000-0000-0000-000000000000';
const SCOPE_TAG_KEYS = ['roleScopeTagIds', 'roleScopeTags'];
/** Group ids a Conditional Access policy names (`conditions.users.includeGroups` / `excludeGroups`). */
const GROUP_LIST_KEYS = ['includeGroups', 'excludeGroups'];

const isPlainObject = (value: unknown): value is GraphObject => typeof value === 'object' && value !== null && !Array.isArray(value);

/** Kinds the restore itself may re-create (set foundations): looked up by id, then by name, in any tenant. */
const RESTORABLE_KINDS: ReadonlySet<ReferenceKind> = new Set(['scopeTag', 'filter']);

interface Listing {
  ids: Set<string>;
  byName: Map<string, string[]>;
}

/**
 * Resolves what a snapshot references into the target tenant, for one restore run (lookups cached for
 * the run). Groups and notification templates keep their ids in the same tenant and are found by
 * display name in another (`GET /v1.0/groups?$filter=displayName eq '…'`, the template list). Scope
 * tags and assignment filters, which a restore may have re-created, are found by id, then by name, in
 * any tenant; the built-in scope tag `0` always stays. A name must match exactly one object: none or
 * several leave the reference unmapped with that reason. Names come from the backup item (recorded at
 * capture), else from the set's foundation items.
 */
export class ReferenceMapper {
  private readonly listings = new SharedReads((kind: ListedReferenceKind) => this.list(kind));
  private readonly groupsByName = new Map<string, Promise<string[]>>();
  private roleListing: Promise<GraphObject[]> | undefined;

  constructor(
    private readonly client: GraphClient,
    private readonly crossTenant: boolean,
    /** Names by id of the set's foundation items (filters, scope tags): for items captured without names. */
    private readonly foundationNames: CapturedReferences = {},
  ) {}

  async resolve(kind: ReferenceKind, sourceId: string, names: CapturedReferences): Promise<ResolvedReference> {
    if (kind === 'scopeTag' && sourceId === BUILT_IN_SCOPE_TAG) return { mapped: true, id: sourceId };
    const restorable = RESTORABLE_KINDS.has(kind);
    if (!this.crossTenant && !restorable) return { mapped: true, id: sourceId };
    const listing = kind === 'group' ? undefined : await this.listings.get(kind);
    if (listing && restorable && listing.ids.has(sourceId)) return { mapped: true, id: sourceId };
    const name = names[kind]?.[sourceId] ?? this.foundationNames[kind]?.[sourceId] ?? null;
    if (name === null) return { mapped: false, reason: 'name_not_captured', name };
    const matches = listing ? (listing.byName.get(name) ?? []) : await this.groupsNamed(name);
    if (matches.length === 1) return { mapped: true, id: matches[0] };
    return { mapped: false, reason: matches.length === 0 ? 'not_in_target_tenant' : 'several_in_target_tenant', name };
  }

  /**
   * The snapshot with its scope tag ids, compliance notification templates and Conditional Access groups
   * mapped to the target tenant (assignments are left to AssignmentMapper). An unmapped scope tag is left
   * out (an object left without tags gets the built-in one); an action whose template is unmapped is left
   * out; an unmapped group of a Conditional Access policy is left out of its list. All are reported, never
   * blocking. The snapshot itself is not changed.
   */
  async mapObject(snapshot: GraphObject, names: CapturedReferences): Promise<{ snapshot: GraphObject; unmapped: UnmappedReference[] }> {
    const { assignments, ...object } = snapshot;
    const wanted = objectReferences(object);
    if (wanted.length === 0 && !isRoleAssignment(object)) return { snapshot, unmapped: [] };
    const resolved = new Map<string, ResolvedReference>();
    for (const { kind, id } of wanted) resolved.set(`${kind}|${id}`, await this.resolve(kind, id, names));
    const lookup = (kind: ReferenceKind, id: string) => resolved.get(`${kind}|${id}`)!;
    const mapped = rewriteReferences(object, lookup) as GraphObject;
    if (isRoleAssignment(object)) {
      // Members and scope members are groups (unmapped ones left out, reported); the role it grants is found by id, then by name.
      for (const key of ROLE_MEMBER_KEYS) {
        if (Array.isArray(object[key])) mapped[key] = (object[key] as unknown[]).flatMap((id) => (typeof id === 'string' && lookup('group', id)?.mapped ? [(lookup('group', id) as { id: string }).id] : []));
      }
      mapped.roleDefinition = await this.roleDefinition(object.roleDefinition);
    }
    const unmapped: UnmappedReference[] = [];
    for (const { kind, id } of wanted) {
      const result = lookup(kind, id);
      if (!result.mapped) unmapped.push({ kind, id, name: result.name, reason: result.reason, blocking: false });
    }
    return { snapshot: assignments === undefined ? mapped : { ...mapped, assignments }, unmapped };
  }

  /**
   * The role a role assignment grants, in the target tenant: built-in roles keep their id (the same in every
   * tenant), a custom role is found by its id, then by its exact name; none or several → null (the write
   * strategy then skips the item: `role_definition_unknown`).
   */
  private async roleDefinition(role: unknown): Promise<GraphObject | null> {
    if (!isPlainObject(role) || typeof role.id !== 'string') return null;
    if (!this.crossTenant || role.isBuiltIn === true) return role;
    this.roleListing ??= this.client.listAll<GraphObject>('/beta/deviceManagement/roleDefinitions?$select=id,displayName');
    const roles = await this.roleListing;
    if (roles.some((candidate) => candidate.id === role.id)) return role;
    const named = roles.filter((candidate) => candidate.displayName === role.displayName);
    return named.length === 1 ? { ...role, id: String(named[0].id) } : null;
  }

  private async list(kind: ListedReferenceKind): Promise<Listing> {
    const items = await listReferenceObjects(this.client, kind);
    const byName = new Map<string, string[]>();
    for (const item of items) {
      if (typeof item.displayName !== 'string') continue;
      byName.set(item.displayName, [...(byName.get(item.displayName) ?? []), String(item.id)]);
    }
    return { ids: new Set(items.map((item) => String(item.id))), byName };
  }

  /** Ids of the target tenant's groups with this display name (as Graph's `eq` compares it). */
  private groupsNamed(name: string): Promise<string[]> {
    let known = this.groupsByName.get(name);
    if (!known) {
      const filter = encodeURIComponent(`displayName eq '${name.replace(/'/g, "''")}'`);
      known = this.client.listAll<GraphObject>(`/v1.0/groups?$filter=${filter}&$select=id,displayName`).then((groups) => groups.map((group) => String(group.id)));
      known.catch(() => this.groupsByName.delete(name));
      this.groupsByName.set(name, known);
    }
    return known;
  }
}

const isTemplateReference = (value: unknown): value is string => typeof value === 'string' && value !== '' && value !== NO_TEMPLATE;

const ROLE_MEMBER_KEYS = ['members', 'scopeMembers'];
const isRoleAssignment = (object: GraphObject) => object['@odata.type'] === '#microsoft.graph.deviceAndAppManagementRoleAssignment';

/** The scope tags and notification templates an object (without its assignments) references, each once; a role assignment's member groups too. */
function objectReferences(object: GraphObject): Array<{ kind: ReferenceKind; id: string }> {
  const found = new Map<string, { kind: ReferenceKind; id: string }>();
  const add = (kind: ReferenceKind, id: string) => found.set(`${kind}|${id}`, { kind, id });
  if (isRoleAssignment(object)) {
    for (const key of ROLE_MEMBER_KEYS) if (Array.isArray(object[key])) (object[key] as unknown[]).forEach((id) => typeof id === 'string' && id !== '' && add('group', id));
  }
  const visit = (value: unknown): void => {
    if (Array.isArray(value)) return value.forEach(visit);
    if (!isPlainObject(value)) return;
    for (const [key, child] of Object.entries(value)) {
      if (SCOPE_TAG_KEYS.includes(key) && Array.isArray(child)) child.forEach((id) => typeof id === 'string' && id !== BUILT_IN_SCOPE_TAG && add('scopeTag', id));
      else if (GROUP_LIST_KEYS.includes(key) && Array.isArray(child)) child.forEach((id) => typeof id === 'string' && id !== '' && add('group', id));
      else if (key === 'notificationTemplateId' && isTemplateReference(child)) add('notificationTemplate', child);
      else visit(child);
    }
  };
  visit(object);
  return [...found.values()];
}

/** A copy with every reference replaced by its resolution (see ReferenceMapper.mapObject for what unmapped ones become). */
function rewriteReferences(value: unknown, resolved: (kind: ReferenceKind, id: string) => ResolvedReference): unknown {
  if (Array.isArray(value)) {
    return value
      .filter((entry) => !(isPlainObject(entry) && isTemplateReference(entry.notificationTemplateId) && !resolved('notificationTemplate', entry.notificationTemplateId).mapped))
      .map((entry) => rewriteReferences(entry, resolved));
  }
  if (!isPlainObject(value)) return value;
  const result: GraphObject = {};
  for (const [key, child] of Object.entries(value)) {
    if (SCOPE_TAG_KEYS.includes(key) && Array.isArray(child)) result[key] = rewriteScopeTags(child, resolved);
    // A group the target tenant cannot name is left out (reported): Graph refuses an unknown id.
    else if (GROUP_LIST_KEYS.includes(key) && Array.isArray(child)) {
      result[key] = child.flatMap((id) => {
        if (typeof id !== 'string' || id === '') return [id];
        const group = resolved('group', id);
        return group.mapped ? [group.id] : [];
      });
    } else if (key === 'notificationTemplateId' && isTemplateReference(child)) {
      const template = resolved('notificationTemplate', child);
      result[key] = template.mapped ? template.id : child;
    } else result[key] = rewriteReferences(child, resolved);
  }
  return result;
}

function rewriteScopeTags(ids: unknown[], resolved: (kind: ReferenceKind, id: string) => ResolvedReference): unknown[] {
  const mapped: unknown[] = [];
  for (const id of ids) {
    const target = typeof id === 'string' && id !== BUILT_IN_SCOPE_TAG ? resolved('scopeTag', id) : { mapped: true as const, id };
    if (target.mapped && !mapped.includes(target.id)) mapped.push(target.id);
  }
  return mapped.length === 0 && ids.length > 0 ? [BUILT_IN_SCOPE_TAG] : mapped;
}
