import { Injectable } from '@nestjs/common';
import { SafeErrorCode, type SafeError } from '@policyvault/contracts';
import { GraphError, getPolicyTypeContract, listPolicies, type GraphClient, type ListPoliciesOptions, type ListPoliciesResult, type PolicyTypeContract } from '@policyvault/graph';
import { TurnBatches } from '@policyvault/platform';
import { graphFailure } from '@policyvault/worker-runtime';
import { unsupportedTypeError, type CaptureTarget } from '../capture/policy-capture.service.js';
import { PoliciesRepository, type ListingSelectionPart } from '../store/policies.repository.js';

/** Why a type could not be listed. */
export type ListingProblem =
  | { kind: 'unsupported'; policyType: string; error: SafeError }
  /** Graph refused the listing (403): the app lacks the type's permission in this tenant; skipped, never failing the run. */
  | { kind: 'forbidden'; policyType: string; error: SafeError }
  | { kind: 'failed'; policyType: string; error: SafeError };

/** A type's live listing, not recorded yet: its objects (with an id), and when the listing began. */
export type Listed = { kind: 'listed'; policyType: string; contract: PolicyTypeContract; objects: Array<Record<string, unknown>>; listedAt: Date };

export type TypeListing = Listed | ListingProblem;

/** `selectionRecorded`: the listing is the run's selection part (false: none was asked, or a delivery recorded it first). */
export type Synced = { kind: 'synced'; policyType: string; targets: CaptureTarget[]; found: number; added: number; missing: number; selectionRecorded: boolean };

export type TypeSync = Synced | ListingProblem;

/** Keeps the inventory in step with Graph, one policy type (one complete listing) at a time. */
@Injectable()
export class InventoryService {
  constructor(private readonly policies: PoliciesRepository) {}

  /**
   * Lists a type live (every page) and records it: new objects added, known ones seen again, those
   * the listing no longer has marked missing. The listed objects come back to be captured without
   * another read where their list shape is complete. `listing.expandAssignments`: the entries carry their
   * assignments (a backup's listing, compared by incremental capture). An open breaker or a transient failure postpones
   * the run by `retryDelayMs` (PostponeRun); a 403 (the app lacks the type's permission) comes back as
   * `forbidden` (the type is skipped), any other definite failure as `failed`. With `selection`, a listing that
   * is recorded is also recorded as that part of a backup run's selection, in the same statement.
   */
  async syncType(
    client: GraphClient,
    tenantId: string,
    policyType: string,
    retryDelayMs: number,
    listing: ListPoliciesOptions = {},
    selection?: ListingSelectionPart,
  ): Promise<TypeSync> {
    const listed = await this.listType(client, policyType, retryDelayMs, listing);
    return listed.kind === 'listed' ? this.record(tenantId, listed, selection) : listed;
  }

  /** A type's live listing (every page), not recorded yet: `syncType`'s first half. */
  async listType(client: GraphClient, policyType: string, retryDelayMs: number, listing: ListPoliciesOptions = {}): Promise<TypeListing> {
    const lookup = getPolicyTypeContract(policyType);
    if (!lookup.supported) return { kind: 'unsupported', policyType: lookup.type, error: unsupportedTypeError(lookup.type) };
    let listed: ListPoliciesResult;
    try {
      listed = await listPolicies(client, policyType, undefined, listing);
    } catch (error) {
      if (error instanceof GraphError && error.code === SafeErrorCode.GraphForbidden) return { kind: 'forbidden', policyType, error: missingPermissionError(lookup.contract) };
      return { kind: 'failed', policyType, error: graphFailure(error, retryDelayMs, policyType) };
    }
    if (!listed.supported) return { kind: 'unsupported', policyType, error: unsupportedTypeError(policyType) };
    const objects = listed.items.filter((item) => typeof item.id === 'string' && item.id.length > 0);
    return { kind: 'listed', policyType, contract: lookup.contract, objects, listedAt: listed.listedAt };
  }

  /** Records a type's listing (`syncType`'s second half); with `selection`, as that part of a backup run's selection too. */
  async record(tenantId: string, listed: Listed, selection?: ListingSelectionPart): Promise<Synced> {
    const [synced] = await this.recordAll(tenantId, [{ listed, part: selection?.part }], selection);
    return synced;
  }

  /**
   * A run's listings recorded as they arrive, those that arrive together in one statement (`recordAll`, one at a
   * time: what arrives meanwhile joins the next). The run lists each type once, so a statement's types are distinct.
   */
  recorder(tenantId: string, run: Omit<ListingSelectionPart, 'part'>): (listed: Listed, part: string) => Promise<Synced> {
    const batches = new TurnBatches<PendingListing>(
      async (batch) => {
        try {
          const synced = await this.recordAll(tenantId, batch, run);
          batch.forEach((pending, index) => pending.resolve(synced[index]));
        } catch (error) {
          for (const pending of batch) pending.reject(error);
        }
      },
      { maxBatch: LISTINGS_PER_STATEMENT, maxInFlight: 1 },
    );
    return (listed, part) => new Promise<Synced>((resolve, reject) => batches.add({ listed, part, resolve, reject }));
  }

  /**
   * `record` for listings of distinct types, in one statement: one result per listing, in order. A listing with a
   * `part` is recorded as that part of `run`'s selection too.
   */
  async recordAll(tenantId: string, listings: Array<{ listed: Listed; part?: string }>, run?: Omit<ListingSelectionPart, 'part'>): Promise<Synced[]> {
    const recorded = await this.policies.recordListings(
      tenantId,
      listings.map(({ listed: { policyType, contract, objects, listedAt }, part }) => ({
        policyType,
        listed: objects.map((item) => ({ graphId: String(item.id), displayName: nameOf(contract, item) })),
        // When the listing began (a collection the run listed for another type first: then), what it shows is as of then.
        seenAt: listedAt,
        part,
      })),
      run,
    );
    return listings.map(({ listed: { policyType, objects } }, index) => {
      const { policies, added, missing, selectionRecorded } = recorded[index];
      const listedById = new Map(objects.map((item) => [String(item.id), item]));
      return {
        kind: 'synced',
        policyType,
        targets: policies.map((policy) => ({ policy, listed: listedById.get(policy.graphId) })),
        found: policies.length,
        added,
        missing,
        selectionRecorded,
      };
    });
  }
}

/** Listings a run's recorder writes in one statement at most. */
const LISTINGS_PER_STATEMENT = 64;

interface PendingListing {
  listed: Listed;
  part: string;
  resolve: (synced: Synced) => void;
  reject: (error: unknown) => void;
}

/** An object's name as the inventory keeps it; a tenant's one settings object has no name of its own: the type's. */
function nameOf(contract: PolicyTypeContract, item: Record<string, unknown>): string {
  const name = item[contract.nameProperty];
  return typeof name === 'string' ? name : contract.singletonId !== undefined ? contract.displayName : '';
}

/** Why a type Graph refused to list (403) is skipped: the permissions it needs to be read, by name (never the token). */
export function missingPermissionError(contract: PolicyTypeContract): SafeError {
  return {
    code: SafeErrorCode.MissingPermissions,
    message: 'Graph refused to list this policy type: the app lacks a permission it needs in the tenant.',
    context: { policyType: contract.type, httpStatus: 403, missingPermissions: contract.permissions.read.join(', ') },
  };
}
