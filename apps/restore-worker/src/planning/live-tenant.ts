import { SafeErrorCode } from '@policyvault/contracts';
import { GraphError, listPolicies, type BatchItemResult, type BatchRequestItem, type GraphClient, type PolicyTypeContract } from '@policyvault/graph';

type GraphObject = Record<string, unknown>;

/** What the target tenant holds for one backup item, looked up right before planning it. */
export type LiveLookup =
  | { kind: 'found'; matchedBy: 'id' | 'name'; liveId: string; live: GraphObject }
  | { kind: 'missing' }
  | { kind: 'failed'; error: GraphError };

export interface LookupRequest {
  /** The object's id when it was captured (in the source tenant). */
  graphId: string;
  snapshot: GraphObject;
}

interface Listing {
  byId: Map<string, GraphObject>;
  /** `name|@odata.type` → the first object carrying them (creation order). */
  byName: Map<string, GraphObject>;
}

const nameKey = (name: unknown, odataType: unknown) => `${String(name)}|${typeof odataType === 'string' ? odataType : ''}`;

/**
 * The live tenant as one run sees it: each policy type listed once (paged), objects matched by their
 * original id, then by name and `@odata.type`, and matched objects read completely (sub-resources
 * through `$batch`, assignments only when the restore includes them). Only GETs.
 */
export class LiveTenant {
  private readonly listings = new Map<string, Promise<Listing>>();

  constructor(
    readonly client: GraphClient,
    private readonly includeAssignments: boolean,
  ) {}

  /** Throws a GraphError when the type cannot be listed at all (the caller decides: postpone or fail). */
  async lookup(contract: PolicyTypeContract, requests: LookupRequest[]): Promise<LiveLookup[]> {
    const listing = await this.listing(contract);
    const matches = requests.map((request) => {
      const byId = listing.byId.get(request.graphId);
      if (byId) return { matchedBy: 'id' as const, listed: byId };
      const name = request.snapshot[contract.nameProperty];
      const odataType = request.snapshot['@odata.type'];
      const byName = typeof name === 'string' ? listing.byName.get(nameKey(name, odataType)) : undefined;
      return byName ? { matchedBy: 'name' as const, listed: byName } : undefined;
    });
    const found = matches.flatMap((match) => (match ? [match.listed] : []));
    const complete = await this.readComplete(contract, found);
    let next = 0;
    return matches.map((match): LiveLookup => {
      if (!match) return { kind: 'missing' };
      const read = complete[next++];
      if (read.ok) return { kind: 'found', matchedBy: match.matchedBy, liveId: String(match.listed.id), live: read.object };
      // Deleted between the listing and the read: a restore creates it.
      if (read.error.code === SafeErrorCode.GraphNotFound) return { kind: 'missing' };
      return { kind: 'failed', error: read.error };
    });
  }

  /** Forgets a type's listing (after creates, a later lookup must see the new objects). */
  forget(contract: PolicyTypeContract): void {
    this.listings.delete(contract.type);
  }

  private listing(contract: PolicyTypeContract): Promise<Listing> {
    let listing = this.listings.get(contract.type);
    if (!listing) {
      listing = this.list(contract);
      listing.catch(() => this.listings.delete(contract.type));
      this.listings.set(contract.type, listing);
    }
    return listing;
  }

  private async list(contract: PolicyTypeContract): Promise<Listing> {
    const result = await listPolicies(this.client, contract.type);
    const items = result.supported ? result.items : [];
    const byId = new Map<string, GraphObject>();
    const byName = new Map<string, GraphObject>();
    for (const item of items) {
      byId.set(String(item.id), item);
      const key = nameKey(item[contract.nameProperty], item['@odata.type']);
      if (!byName.has(key)) byName.set(key, item);
      // A snapshot without @odata.type (settings catalog) matches by name alone.
      const untyped = nameKey(item[contract.nameProperty], undefined);
      if (!byName.has(untyped)) byName.set(untyped, item);
    }
    return { byId, byName };
  }

  /** The listed objects made complete: read by id where the list shape omits properties, plus relations. */
  private async readComplete(contract: PolicyTypeContract, listed: GraphObject[]): Promise<Array<{ ok: true; object: GraphObject } | { ok: false; error: GraphError }>> {
    const relations = contract.subResources.filter((sub) => sub.name !== 'assignments' || this.includeAssignments);
    const requests: BatchRequestItem[] = [];
    listed.forEach((object, index) => {
      const base = `${contract.collectionPath}/${encodeURIComponent(String(object.id))}`;
      if (contract.readEachById) requests.push({ id: `${index}:object`, method: 'GET', url: base });
      for (const sub of relations) {
        requests.push({ id: `${index}:${sub.name}`, method: 'GET', url: `${base}/${sub.segment}${sub.expand ? `?$expand=${sub.expand}` : ''}` });
      }
    });
    const results = requests.length > 0 ? await this.client.batch(contract.apiVersion, requests) : [];
    const byId = new Map<string, BatchItemResult>(results.map((result) => [result.id, result]));
    return Promise.all(
      listed.map(async (listedObject, index) => {
        try {
          const object: GraphObject = contract.readEachById ? ({ ...(expectOk(byId.get(`${index}:object`)) as GraphObject) }) : { ...listedObject };
          for (const sub of relations) object[sub.name] = await this.collectionValues(expectOk(byId.get(`${index}:${sub.name}`)));
          return { ok: true as const, object };
        } catch (error) {
          if (!(error instanceof GraphError)) throw error;
          return { ok: false as const, error };
        }
      }),
    );
  }

  private async collectionValues(body: unknown): Promise<unknown[]> {
    const page = body as { value?: unknown; '@odata.nextLink'?: unknown } | undefined;
    if (!page || !Array.isArray(page.value)) throw new GraphError({ code: SafeErrorCode.GraphInvalidResponse });
    const values = [...page.value];
    if (typeof page['@odata.nextLink'] === 'string') values.push(...(await this.client.listAll(page['@odata.nextLink'])));
    return values;
  }
}

function expectOk(result: BatchItemResult | undefined): unknown {
  if (!result) throw new GraphError({ code: SafeErrorCode.GraphInvalidResponse });
  if (!result.ok) throw result.error;
  return result.body;
}
