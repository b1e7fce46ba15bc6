import { SafeErrorCode, type RestoreAmbiguity } from '@policyvault/contracts';
import { GraphError, getPolicyTypeContract, listPolicies, readPolicySnapshots, type GraphClient, type PolicyTypeContract } from '@policyvault/graph';

type GraphObject = Record<string, unknown>;

/** What the target tenant holds for one backup item, looked up right before planning it. */
export type LiveLookup =
  | { kind: 'found'; matchedBy: 'id' | 'name'; liveId: string; live: GraphObject }
  | { kind: 'missing' }
  | { kind: 'failed'; error: GraphError };

/** A lookup, or no single live object the item can be restored onto (nothing is written for it). */
export type LiveMatch = LiveLookup | { kind: 'ambiguous'; ambiguity: RestoreAmbiguity };

export interface LookupRequest {
  backupItemId: string;
  /** The object's id when it was captured (in the source tenant). */
  graphId: string;
  snapshot: GraphObject;
}

/** A backup item the run restores, as the backup store lists it (without its snapshot). */
export interface RunItem {
  backupItemId: string;
  policyType: string;
  graphId: string;
  displayName: string;
  odataType: string | null;
}

interface Listing {
  byId: Map<string, GraphObject>;
  /** `name|@odata.type` (and `name|` for snapshots without a type) → every object carrying them. */
  byName: Map<string, GraphObject[]>;
}

/** Live objects carrying the first of the type's `matchProperties` the snapshot has (bundle id, package id…). */
function byMatchProperty(contract: PolicyTypeContract, listing: Listing, snapshot: GraphObject): GraphObject[] {
  for (const property of contract.matchProperties ?? []) {
    const value = snapshot[property];
    if (typeof value === 'string' && value !== '') return [...listing.byId.values()].filter((object) => object[property] === value);
  }
  return [];
}

const nameKey = (name: unknown, odataType: unknown) => `${String(name)}|${typeof odataType === 'string' ? odataType : ''}`;
const objectKey = (contract: PolicyTypeContract, id: string) => `${contract.collectionPath}|${id}`;

/**
 * The live tenant as one run sees it: each policy type listed once (paged), objects matched by their
 * original id, then by name and `@odata.type` (else by a `matchProperties` value: an app's bundle or
 * package id) only when exactly one live object carries them, and
 * matched objects read completely (sub-resources through `$batch`, assignments only when the restore
 * includes them). Only GETs.
 *
 * No live object is matched by two backup items of one run. With the run's items known (`expect`),
 * a live object whose id is another item's original id belongs to that item, and a live object that
 * is the only name match of several items is none of theirs: those items are `ambiguous`, whatever
 * order they are planned in. Every match is also claimed for the run, so an item planned later that
 * would reach a claimed object is `ambiguous` naming the first.
 */
export class LiveTenant {
  private readonly listings = new Map<string, Promise<Listing>>();
  /** Collection and live id → the backup item whose original id it is. */
  private readonly ownedBy = new Map<string, string>();
  /** Collection and name key → the run's items carrying them. */
  private readonly itemsByName = new Map<string, RunItem[]>();
  /** Collection and live id → the backup item matched to it in this run. */
  private readonly claims = new Map<string, string>();

  constructor(
    readonly client: GraphClient,
    private readonly includeAssignments: boolean,
  ) {}

  /** The items the run restores (every page of the selection), before any of them is looked up. */
  expect(items: RunItem[]): void {
    for (const item of items) {
      const lookup = getPolicyTypeContract(item.policyType);
      if (!lookup.supported) continue;
      this.ownedBy.set(objectKey(lookup.contract, item.graphId), item.backupItemId);
      const key = objectKey(lookup.contract, nameKey(item.displayName, item.odataType));
      const named = this.itemsByName.get(key);
      if (named) named.push(item);
      else this.itemsByName.set(key, [item]);
    }
  }

  /** A match an earlier delivery of the run made (a drift item it stored): its live object is the item's. */
  claim(contract: PolicyTypeContract, liveId: string, backupItemId: string): void {
    this.claims.set(objectKey(contract, liveId), backupItemId);
  }

  /** Throws a GraphError when the type cannot be listed at all (the caller decides: postpone or fail). */
  async lookup(contract: PolicyTypeContract, requests: LookupRequest[]): Promise<LiveMatch[]> {
    const listing = await this.listing(contract);
    const matches = requests.map((request) => this.match(contract, listing, request));
    const found = matches.flatMap((match) => (match.kind === 'matched' ? [match.listed] : []));
    const complete = await this.readComplete(contract, found);
    let next = 0;
    return matches.map((match): LiveMatch => {
      if (match.kind !== 'matched') return match;
      const read = complete[next++];
      if (read.ok) return { kind: 'found', matchedBy: match.matchedBy, liveId: String(match.listed.id), live: read.object };
      // Deleted between the listing and the read: a restore creates it.
      if (read.error.code === SafeErrorCode.GraphNotFound) return { kind: 'missing' };
      return { kind: 'failed', error: read.error };
    });
  }

  private match(
    contract: PolicyTypeContract,
    listing: Listing,
    request: LookupRequest,
  ): { kind: 'matched'; matchedBy: 'id' | 'name'; listed: GraphObject } | { kind: 'missing' } | { kind: 'ambiguous'; ambiguity: RestoreAmbiguity } {
    const ambiguous = (reason: RestoreAmbiguity['reason'], candidateIds: string[], backupItemIds: string[]) => ({ kind: 'ambiguous' as const, ambiguity: { reason, candidateIds, backupItemIds } });
    let matchedBy: 'id' | 'name' = 'id';
    let listed = listing.byId.get(request.graphId);
    if (!listed) {
      const name = request.snapshot[contract.nameProperty];
      const odataType = request.snapshot['@odata.type'];
      let candidates = typeof name === 'string' ? (listing.byName.get(nameKey(name, odataType)) ?? []) : [];
      // Applications renamed since: the same bundle or package id names the same app.
      if (candidates.length === 0) candidates = byMatchProperty(contract, listing, request.snapshot);
      if (candidates.length === 0) return { kind: 'missing' };
      const candidateIds = candidates.map((candidate) => String(candidate.id));
      if (candidates.length > 1) return ambiguous('several_live_matches', candidateIds, []);
      const owner = this.ownedBy.get(objectKey(contract, candidateIds[0]));
      if (owner !== undefined && owner !== request.backupItemId) return ambiguous('already_matched', candidateIds, [owner]);
      // Other items of the run that would match the same object by name (those matched by id would not).
      const rivals = (this.itemsByName.get(objectKey(contract, nameKey(name, odataType))) ?? []).filter(
        (item) => item.backupItemId !== request.backupItemId && !listing.byId.has(item.graphId),
      );
      if (rivals.length > 0) return ambiguous('several_backup_items', candidateIds, rivals.map((item) => item.backupItemId));
      matchedBy = 'name';
      listed = candidates[0];
    }
    const key = objectKey(contract, String(listed.id));
    const claimedBy = this.claims.get(key);
    if (claimedBy !== undefined && claimedBy !== request.backupItemId) return ambiguous('already_matched', [String(listed.id)], [claimedBy]);
    this.claims.set(key, request.backupItemId);
    return { kind: 'matched', matchedBy, listed };
  }

  /**
   * The type's live objects that no item of the run stands for: not matched to one, and not the
   * original id of one (an item whose lookup failed still owns its object). Drift checks report them
   * as added. Uses the run's one listing of the type.
   */
  async unmatched(contract: PolicyTypeContract, excluded: ReadonlySet<string> = new Set()): Promise<GraphObject[]> {
    const listing = await this.listing(contract);
    return [...listing.byId.values()].filter((object) => {
      const key = objectKey(contract, String(object.id));
      return !this.claims.has(key) && !this.ownedBy.has(key) && !excluded.has(String(object.id));
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
    const byName = new Map<string, GraphObject[]>();
    const add = (key: string, item: GraphObject) => {
      const named = byName.get(key);
      if (named) named.push(item);
      else byName.set(key, [item]);
    };
    for (const item of items) {
      byId.set(String(item.id), item);
      const typed = nameKey(item[contract.nameProperty], item['@odata.type']);
      add(typed, item);
      // A snapshot without @odata.type (settings catalog) matches by name alone.
      const untyped = nameKey(item[contract.nameProperty], undefined);
      if (untyped !== typed) add(untyped, item);
    }
    return { byId, byName };
  }

  /**
   * The listed objects made complete by the one snapshot reader (capture uses it too): read by id where
   * the list shape omits properties, relations read as Graph wants them (expanded or by sub-path).
   */
  private async readComplete(contract: PolicyTypeContract, listed: GraphObject[]): Promise<Array<{ ok: true; object: GraphObject } | { ok: false; error: GraphError }>> {
    if (listed.length === 0) return [];
    const read = await readPolicySnapshots(this.client, contract.type, listed, { assignments: this.includeAssignments });
    if (!read.supported) throw new GraphError({ code: SafeErrorCode.GraphInvalidResponse });
    return read.results.map((result) => (result.ok ? { ok: true as const, object: result.snapshot.object } : { ok: false as const, error: result.error }));
  }
}
