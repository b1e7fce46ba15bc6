import { SafeErrorCode } from '@policyvault/contracts';
import { belongsToType, getPolicyTypeContract, listPathsFor, listingExpandsAssignments, nestedId, objectExpandFor, objectPathFor, pathRelationsFor } from '../contracts/policy-type-contracts.js';
import type { PolicyTypeContract, SubResourceContract } from '../contracts/policy-type-contract.js';
import { GraphError } from '../errors/graph-error.js';
import { isPlainObject } from '../contracts/strip-for-write.js';
import type { BatchItemResult, BatchRequestItem, GraphClient } from '../client/graph-client.js';
import type { RunListings } from './run-listings.js';

/** One policy as captured: the object with its sub-resources embedded under their Graph names. */
export interface PolicySnapshot {
  policyType: string;
  id: string;
  displayName: string;
  object: Record<string, unknown>;
}

export type SnapshotResult = { id: string; ok: true; snapshot: PolicySnapshot } | { id: string; ok: false; error: GraphError };

export type Unsupported = { supported: false; type: string; reason: string };

/** `listedAt`: when the listing began (a shared collection's: when the run first listed it), the time it shows the tenant at. */
export type ListPoliciesResult = { supported: true; items: Array<Record<string, unknown>>; listedAt: Date } | Unsupported;
/**
 * `definitions`: when asked for (`ReadSnapshotsOptions.definitions`), Microsoft's definitions of the relations' items
 * that came with the read (settings catalog `settingDefinitions`), each once; never part of a snapshot.
 */
export type ReadSnapshotsResult = { supported: true; results: SnapshotResult[]; definitions?: GraphObject[] } | Unsupported;

type GraphObject = Record<string, unknown>;

export function collectionUrl(contract: PolicyTypeContract): string {
  return `/${contract.apiVersion}${contract.collectionPath}`;
}

export interface ListPoliciesOptions {
  /**
   * Also `$expand=assignments` (every Intune collection's assignments are an expandable navigation in
   * Graph's metadata), so that each list entry shows its assignments: incremental capture compares the
   * entries, and `/assign` does not move an object's `lastModifiedDateTime`. Not for a type whose listing Graph
   * does not let expand them (`listExpandsAssignments: false`, mobile apps).
   */
  expandAssignments?: boolean;
  /**
   * A run's listings (`RunListings`): a collection several types list (the enrollment configurations) is listed once
   * for all of them, and the first pages it prefetched for the run's types are taken instead of read again.
   */
  listings?: RunListings;
}

/** A collection's objects, and when their listing began. */
export interface CollectionListing {
  listedAt: Date;
  items: GraphObject[];
}

/** Every page of a collection, and when its listing began. */
export async function listCollection(client: GraphClient, url: string): Promise<CollectionListing> {
  const listedAt = new Date();
  return { listedAt, items: await client.listAll<GraphObject>(url) };
}

/**
 * The first page of each collection a type is listed from, as `listPolicies` asks for it (its typed collections, or
 * its one collection; none for a tenant's one object or for objects nested under others: `firstReadsFor`): `url` from
 * the Graph base with its query.
 */
export function collectionListingsFor(contract: PolicyTypeContract, pageSize = 100, options: Pick<ListPoliciesOptions, 'expandAssignments'> = {}): Array<{ url: string; odataType?: string }> {
  if (contract.singletonId !== undefined || contract.nestedUnder) return [];
  const expand = [objectExpandFor(contract), options.expandAssignments && listingExpandsAssignments(contract) ? 'assignments' : undefined].filter(Boolean).join(',') || undefined;
  return listPathsFor(contract).map(({ path, odataType }) => ({ url: `/${contract.apiVersion}${path}?$top=${pageSize}${expand ? `&$expand=${expand}` : ''}`, odataType }));
}

/** The listing of the parents a nested type's objects live under (`nestedUnder.parentPath`): their ids. */
function nestedParentsUrl(contract: PolicyTypeContract, parentPath: string): string {
  return `/${contract.apiVersion}${parentPath}?$select=id`;
}

/**
 * The URLs a type's listing reads first, as `listPolicies` asks for them: the first page of each of its collections,
 * the tenant's one object of a singleton type (its object path), or the first page of the parents its objects are
 * nested under. A run reads them together (`RunListings.prefetch`).
 */
export function firstReadsFor(contract: PolicyTypeContract, pageSize = 100, options: Pick<ListPoliciesOptions, 'expandAssignments'> = {}): string[] {
  if (contract.singletonId !== undefined) return [objectPathFor(contract, {}, contract.singletonId)];
  if (contract.nestedUnder) return [nestedParentsUrl(contract, contract.nestedUnder.parentPath)];
  return collectionListingsFor(contract, pageSize, options).map(({ url }) => url);
}

/**
 * Every object of a type (list shape, which may omit large properties such as script content), with
 * the relations Graph only gives with the object (`$expand`); typed collections (app protection) are
 * each listed and their objects carry their `@odata.type`.
 */
export async function listPolicies(client: GraphClient, type: string, pageSize = 100, options: ListPoliciesOptions = {}): Promise<ListPoliciesResult> {
  const lookup = getPolicyTypeContract(type);
  if (!lookup.supported) return lookup;
  const contract = lookup.contract;
  const items: GraphObject[] = [];
  if (contract.singletonId !== undefined) {
    // The tenant's one object: its read is its listing, under the registry's fixed id.
    const url = objectPathFor(contract, {}, contract.singletonId);
    const read = options.listings ? await options.listings.object(url) : { listedAt: new Date(), object: await client.get<GraphObject>(url) };
    const { '@odata.context': _context, ...object } = read.object;
    return { supported: true, items: [{ ...object, id: contract.singletonId }], listedAt: read.listedAt };
  }
  if (contract.nestedUnder) {
    const { parentPath, segment } = contract.nestedUnder;
    const parentsUrl = nestedParentsUrl(contract, parentPath);
    const parents = options.listings ? await options.listings.list(parentsUrl) : await listCollection(client, parentsUrl);
    const listedAt = parents.listedAt;
    for (const parent of parents.items) {
      const parentId = String(parent.id);
      const children = await client.listAll<GraphObject>(`/${contract.apiVersion}${parentPath}/${encodeURIComponent(parentId)}/${segment}?$top=${pageSize}`);
      for (const child of children) items.push({ ...child, id: nestedId(parentId, String(child.id)) });
    }
    return { supported: true, items, listedAt };
  }
  // As of when its earliest listing began (a collection the run listed for another type first: then).
  let listedAt: Date | undefined;
  for (const collection of collectionListingsFor(contract, pageSize, options)) {
    const listing = await (options.listings ? options.listings.list(collection.url) : listCollection(client, collection.url));
    if (listedAt === undefined || listing.listedAt < listedAt) listedAt = listing.listedAt;
    for (const item of listing.items) {
      const typed = collection.odataType && typeof item['@odata.type'] !== 'string' ? { '@odata.type': collection.odataType, ...item } : item;
      if (belongsToType(contract, typed)) items.push(typed);
    }
  }
  return { supported: true, items, listedAt: listedAt ?? new Date() };
}

export interface ReadSnapshotsOptions {
  /** Read assignments too (default true; a restore that leaves assignments alone skips them). */
  assignments?: boolean;
  /**
   * Also expand the relations' definitions (`SubResourceContract.definitions`: settings catalog settings come with
   * their `settingDefinitions`) in the same requests, instead of one request per definition later. They are taken
   * out of the items and returned apart (`definitions` of the result). Default false: the answers are larger.
   */
  definitions?: boolean;
}

/** The object's path relative to the version (as `$batch` wants it), with the `$expand` of its expanded relations. */
function objectUrls(contract: PolicyTypeContract, id: string, listed: GraphObject | undefined, expand: string | undefined): string[] {
  const query = expand ? `?$expand=${expand}` : '';
  const versionPrefix = `/${contract.apiVersion}`;
  // A typed-collection object known only by id: asked in each platform collection, the one holding it answers.
  const holders = contract.typedCollections && !listed ? listPathsFor(contract).map((collection) => ({ '@odata.type': collection.odataType })) : [listed ?? {}];
  return holders.map((holder) => `${objectPathFor(contract, holder, id).slice(versionPrefix.length)}${query}`);
}

/**
 * Complete snapshots of the given objects, read through `$batch`: the object itself (when the list shape
 * is incomplete, lacks the expanded relations, or only ids are known) plus every relation read by path,
 * following each relation's nextLink. Relations Graph gives only with the object (compliance scheduled
 * actions, app protection apps) are read with `$expand`. Failures are per object (e.g. one 404), so a
 * capture can record them item by item. Throws `TenantUnavailableError` when the tenant's breaker
 * opens: the caller postpones the work.
 */
export async function readPolicySnapshots(client: GraphClient, type: string, objects: Array<string | GraphObject>, options: ReadSnapshotsOptions = {}): Promise<ReadSnapshotsResult> {
  const [result] = await readSnapshotsOfTypes(client, [{ type, objects }], options);
  return result;
}

/** The objects of one type in a `readSnapshotsOfTypes` call. */
export interface SnapshotReadGroup {
  type: string;
  objects: Array<string | GraphObject>;
}

/**
 * `readPolicySnapshots` for objects of several types at once, one result per group in order: the groups'
 * sub-requests share `$batch` calls (one series per API version), so a few objects of each of many types cost the
 * calls their sub-requests fill, not a call per type. A whole call failing fails the read as it would one type's.
 */
export async function readSnapshotsOfTypes(client: GraphClient, groups: SnapshotReadGroup[], options: ReadSnapshotsOptions = {}): Promise<ReadSnapshotsResult[]> {
  const plans = groups.map((group, index) => planSnapshotRead(group, `${index}/`, options));
  const byVersion = new Map<PolicyTypeContract['apiVersion'], BatchRequestItem[]>();
  for (const plan of plans) {
    if (!plan.supported || plan.requests.length === 0) continue;
    byVersion.set(plan.apiVersion, [...(byVersion.get(plan.apiVersion) ?? []), ...plan.requests]);
  }
  const answers = await Promise.all([...byVersion].map(([apiVersion, requests]) => client.batch(apiVersion, requests)));
  const byId = new Map<string, BatchItemResult>(answers.flat().map((result) => [result.id, result]));
  return Promise.all(plans.map((plan) => (plan.supported ? plan.assemble(client, byId) : plan)));
}

type SnapshotReadPlan =
  | Unsupported
  | {
      supported: true;
      apiVersion: PolicyTypeContract['apiVersion'];
      requests: BatchRequestItem[];
      assemble(client: GraphClient, byId: Map<string, BatchItemResult>): Promise<ReadSnapshotsResult>;
    };

/** A type's part of a read: its sub-requests (ids under `prefix`), and how its snapshots are made from the answers. */
function planSnapshotRead({ type, objects }: SnapshotReadGroup, prefix: string, options: ReadSnapshotsOptions): SnapshotReadPlan {
  const lookup = getPolicyTypeContract(type);
  if (!lookup.supported) return lookup;
  const contract = lookup.contract;
  const wanted = (sub: SubResourceContract) => sub.name !== 'assignments' || options.assignments !== false;
  const pathRelations = pathRelationsFor(contract).filter(wanted);
  const expanded = contract.subResources.filter((sub) => sub.read === 'expand');
  const expand = objectExpandFor(contract);
  const requests: BatchRequestItem[] = [];
  const plans = objects.map((entry, index) => {
    const listed = typeof entry === 'string' ? undefined : entry;
    const id = typeof entry === 'string' ? entry : String(entry.id);
    const lacksExpanded = expanded.some((sub) => !Array.isArray(listed?.[sub.name]) && !isPlainObject(listed?.[sub.name]));
    const objectRequests = !listed || contract.readEachById || lacksExpanded ? objectUrls(contract, id, listed, expand) : [];
    objectRequests.forEach((url, attempt) => requests.push({ id: `${prefix}${index}:object:${attempt}`, method: 'GET', url }));
    const base = objectPathFor(contract, listed ?? {}, id).slice(contract.apiVersion.length + 1);
    for (const sub of pathRelations) {
      const expand = [sub.expand, options.definitions ? sub.definitions : undefined].filter(Boolean).join(',');
      requests.push({ id: `${prefix}${index}:${sub.name}`, method: 'GET', url: `${base}/${sub.segment}${expand ? `?$expand=${expand}` : ''}` });
    }
    return { index, id, listed, objectReads: objectRequests.length };
  });

  const assemble = async (client: GraphClient, byId: Map<string, BatchItemResult>): Promise<ReadSnapshotsResult> => {
    const definitions = new Map<string, GraphObject>();
    const snapshots = await Promise.all(
      plans.map(async (plan): Promise<SnapshotResult> => {
        try {
          const object: GraphObject = plan.objectReads > 0 ? objectFrom(byId, `${prefix}${plan.index}`, plan.objectReads) : { ...plan.listed };
          for (const sub of pathRelations) {
            const values = await collectionValues(client, expectOk(byId.get(`${prefix}${plan.index}:${sub.name}`)));
            const navigation = sub.definitions;
            object[sub.name] = navigation ? values.map((value) => withoutDefinitions(value, navigation, definitions)) : values;
          }
          for (const sub of expanded) if (!wanted(sub)) delete object[sub.name];
          delete object['@odata.context'];
          // Stored ids of singletons and nested objects are PolicyVault's (`{parentId}/{id}`), not the one Graph answers with.
          if (contract.singletonId !== undefined || contract.nestedUnder) object.id = plan.id;
          const name = object[contract.nameProperty];
          return {
            id: plan.id,
            ok: true,
            snapshot: { policyType: contract.type, id: plan.id, displayName: typeof name === 'string' ? name : contract.singletonId !== undefined ? contract.displayName : '', object },
          };
        } catch (error) {
          if (!(error instanceof GraphError)) throw error;
          return { id: plan.id, ok: false, error };
        }
      }),
    );
    return { supported: true, results: snapshots, ...(options.definitions ? { definitions: [...definitions.values()] } : {}) };
  };
  return { supported: true, apiVersion: contract.apiVersion, requests, assemble };
}

/** A relation item without its definitions navigation; the definitions go to `into`, once per id. */
function withoutDefinitions(item: unknown, navigation: string, into: Map<string, GraphObject>): unknown {
  if (!isPlainObject(item) || !(navigation in item)) return item;
  const { [navigation]: definitions, ...rest } = item;
  if (Array.isArray(definitions)) {
    for (const definition of definitions) if (isPlainObject(definition) && typeof definition.id === 'string') into.set(definition.id, definition);
  }
  return rest;
}

/** The object from its read (or, probed in several typed collections, from the one that held it). */
function objectFrom(byId: Map<string, BatchItemResult>, key: string, reads: number): GraphObject {
  let notFound: GraphError | undefined;
  for (let attempt = 0; attempt < reads; attempt += 1) {
    const result = byId.get(`${key}:object:${attempt}`);
    if (result?.ok) return { ...(result.body as GraphObject) };
    if (reads > 1 && result && result.error.code === SafeErrorCode.GraphNotFound) {
      notFound = result.error;
      continue;
    }
    expectOk(result);
  }
  throw notFound ?? new GraphError({ code: SafeErrorCode.GraphInvalidResponse });
}

export async function readPolicySnapshot(client: GraphClient, type: string, id: string, options: ReadSnapshotsOptions = {}): Promise<SnapshotResult | Unsupported> {
  const result = await readPolicySnapshots(client, type, [id], options);
  return result.supported ? result.results[0] : result;
}

/** Lists a type and snapshots every object, `chunkSize` objects per round so memory stays bounded. */
export async function readAllPolicySnapshots(client: GraphClient, type: string, chunkSize = 200): Promise<ReadSnapshotsResult> {
  const listed = await listPolicies(client, type);
  if (!listed.supported) return listed;
  const results: SnapshotResult[] = [];
  for (let index = 0; index < listed.items.length; index += chunkSize) {
    const round = await readPolicySnapshots(client, type, listed.items.slice(index, index + chunkSize));
    if (round.supported) results.push(...round.results);
  }
  return { supported: true, results };
}

function expectOk(result: BatchItemResult | undefined): unknown {
  if (!result) throw new GraphError({ code: SafeErrorCode.GraphInvalidResponse });
  if (!result.ok) throw result.error;
  return result.body;
}

async function collectionValues(client: GraphClient, body: unknown): Promise<unknown[]> {
  const page = body as { value?: unknown; '@odata.nextLink'?: unknown } | undefined;
  if (!page || !Array.isArray(page.value)) throw new GraphError({ code: SafeErrorCode.GraphInvalidResponse });
  const values = [...page.value];
  if (typeof page['@odata.nextLink'] === 'string') values.push(...(await client.listAll(page['@odata.nextLink'])));
  return values;
}
