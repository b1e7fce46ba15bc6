import { SafeErrorCode, type CapturedReferences, type ReferenceKind } from '@policyvault/contracts';
import { GraphError, SharedReads, listReferenceObjects, type GraphClient, type ListedReferenceKind } from '@policyvault/graph';

type GraphObject = Record<string, unknown>;

/** The id Intune puts where no notification template is set. */
const NO_TEMPLATE = '00000000-0000-0000-0000-000000000000';
/** Scope tag ids live under one of these keys (`roleScopeTags` on assignment filters). */
const SCOPE_TAG_KEYS = ['roleScopeTagIds', 'roleScopeTags'];
/** Group ids a Conditional Access policy names (`conditions.users`). */
const GROUP_LIST_KEYS = ['includeGroups', 'excludeGroups'];

const isPlainObject = (value: unknown): value is GraphObject => typeof value === 'object' && value !== null && !Array.isArray(value);
const nonEmptyString = (value: unknown): value is string => typeof value === 'string' && value !== '';

/** The ids a captured object references, per kind (its own Graph object is never changed). */
export function referencedIds(snapshot: GraphObject): Record<ReferenceKind, Set<string>> {
  const ids: Record<ReferenceKind, Set<string>> = { group: new Set(), scopeTag: new Set(), filter: new Set(), notificationTemplate: new Set() };
  const visit = (value: unknown): void => {
    if (Array.isArray(value)) return value.forEach(visit);
    if (!isPlainObject(value)) return;
    for (const [key, child] of Object.entries(value)) {
      if (SCOPE_TAG_KEYS.includes(key) && Array.isArray(child)) child.filter(nonEmptyString).forEach((id) => ids.scopeTag.add(id));
      else if (GROUP_LIST_KEYS.includes(key) && Array.isArray(child)) child.filter(nonEmptyString).forEach((id) => ids.group.add(id));
      else if (key === 'groupId' && nonEmptyString(child)) ids.group.add(child);
      // Compliance notifications copy these groups (their names for the as-built documentation).
      else if (key === 'notificationMessageCCList' && Array.isArray(child)) child.filter(nonEmptyString).forEach((id) => ids.group.add(id));
      else if (key === 'deviceAndAppManagementAssignmentFilterId' && nonEmptyString(child)) ids.filter.add(child);
      else if (key === 'notificationTemplateId' && nonEmptyString(child) && child !== NO_TEMPLATE) ids.notificationTemplate.add(child);
      else visit(child);
    }
  };
  visit(snapshot);
  // An Intune role assignment's members and scope members are group ids.
  if (snapshot['@odata.type'] === ROLE_ASSIGNMENT) {
    for (const key of ROLE_MEMBER_KEYS) if (Array.isArray(snapshot[key])) (snapshot[key] as unknown[]).filter(nonEmptyString).forEach((id) => ids.group.add(id));
  }
  return ids;
}

const ROLE_ASSIGNMENT = '#microsoft.graph.deviceAndAppManagementRoleAssignment';
const ROLE_MEMBER_KEYS = ['members', 'scopeMembers'];

/** Reading names is best effort where Graph says the app may not or the object is gone. */
const NAME_UNREADABLE = [SafeErrorCode.GraphNotFound, SafeErrorCode.GraphForbidden, SafeErrorCode.GraphBadRequest];

/**
 * Display names of what captured objects reference, so a restore into another tenant can map them by
 * name: groups read by id through `$batch` (`GET /v1.0/groups/{id}?$select=id,displayName`), scope tags,
 * assignment filters and notification message templates listed once each. One reader per run: names
 * are cached for the run only (a later run sees renames). A name Graph will not give (group deleted, no
 * permission) is left out and the restore reports it as not captured; other failures throw GraphError.
 */
export class ReferenceNameReader {
  private readonly groups = new Map<string, string | null>();
  /** Group reads in flight, by group id: chunks read at once share them. */
  private readonly groupReads = new Map<string, Promise<void>>();
  private readonly listings = new SharedReads((kind: ListedReferenceKind) => this.list(kind));

  constructor(private readonly client: GraphClient) {}

  /** The references of each snapshot, in input order. */
  async namesFor(snapshots: GraphObject[]): Promise<CapturedReferences[]> {
    const perSnapshot = snapshots.map(referencedIds);
    await this.readGroups(perSnapshot.flatMap((ids) => [...ids.group]));
    const kinds = ['scopeTag', 'filter', 'notificationTemplate'] as const;
    const listed = new Map<ReferenceKind, Map<string, string>>();
    for (const kind of kinds) if (perSnapshot.some((ids) => ids[kind].size > 0)) listed.set(kind, await this.listings.get(kind));
    return perSnapshot.map((ids) => {
      const references: CapturedReferences = {};
      for (const kind of ['group', ...kinds] as const) {
        const names: Record<string, string> = {};
        for (const id of ids[kind]) {
          const name = kind === 'group' ? this.groups.get(id) : listed.get(kind)?.get(id);
          if (typeof name === 'string') names[id] = name;
        }
        if (Object.keys(names).length > 0) references[kind] = names;
      }
      return references;
    });
  }

  /** Reads the names of the groups not known yet; a group another chunk is reading is awaited, not read again. */
  private async readGroups(ids: string[]): Promise<void> {
    const wanted = [...new Set(ids)].filter((id) => !this.groups.has(id));
    const unknown = wanted.filter((id) => !this.groupReads.has(id));
    if (unknown.length > 0) {
      const read = this.readGroupNames(unknown).finally(() => {
        for (const id of unknown) this.groupReads.delete(id);
      });
      for (const id of unknown) this.groupReads.set(id, read);
    }
    await Promise.all(new Set(wanted.flatMap((id) => this.groupReads.get(id) ?? [])));
  }

  private async readGroupNames(unknown: string[]): Promise<void> {
    const results = await this.client.batch(
      'v1.0',
      unknown.map((id, index) => ({ id: String(index), method: 'GET' as const, url: `/groups/${encodeURIComponent(id)}?$select=id,displayName` })),
    );
    results.forEach((result, index) => {
      if (result.ok) {
        const name = isPlainObject(result.body) ? result.body.displayName : undefined;
        this.groups.set(unknown[index], typeof name === 'string' ? name : null);
      } else if (NAME_UNREADABLE.includes(result.error.code)) this.groups.set(unknown[index], null);
      else throw result.error;
    });
  }

  private async list(kind: ListedReferenceKind): Promise<Map<string, string>> {
    try {
      const items = await listReferenceObjects(this.client, kind);
      return new Map(items.flatMap((item) => (typeof item.displayName === 'string' ? [[String(item.id), item.displayName] as const] : [])));
    } catch (error) {
      if (error instanceof GraphError && NAME_UNREADABLE.includes(error.code)) return new Map();
      throw error;
    }
  }
}
