import type { Job } from '@policyvault/worker-runtime';
import { RunListings, getPolicyTypeContract, listPolicyTypes, type BatchRequestItem, type ListPoliciesOptions } from '@policyvault/graph';
import { InventoryService, type Listed } from '../inventory/inventory.service.js';
import type { BackupSetSelectionsRepository, RecordedSelectionPart } from '../store/backup-set-selections.repository.js';
import type { ListingToRecord, PoliciesRepository } from '../store/policies.repository.js';
import type { PolicyEntity } from '../store/policy.entity.js';
import { PolicySelectionService, type SelectedPolicy, type SelectionProblem } from './policy-selection.service.js';

const TENANT = 't1';
const RUN = 'r1';
const SET = { id: 's1' };
const policy = (id: string, policyType: string): PolicyEntity => ({ id, tenantId: TENANT, policyType, graphId: `g-${id}`, displayName: id }) as PolicyEntity;

/**
 * The selection with its store and Graph listing faked: which types list what, which parts an earlier delivery
 * recorded, and which of this delivery's empty listings another delivery recorded first.
 */
function selection(listings: Record<string, Array<Record<string, unknown>>>, options: { recordedFirst?: Record<string, RecordedSelectionPart>; stored?: PolicyEntity[]; checkpoint?: () => Promise<void>; failRecording?: Error; deliveryCount?: number } = {}) {
  const calls = {
    recordedParts: [] as string[],
    statements: [] as string[][],
    emptyBatches: [] as string[][],
    listingOptions: [] as ListPoliciesOptions[],
    batches: [] as Array<{ version: string; urls: string[] }>,
  };
  const recordedFirst = options.recordedFirst ?? {};
  const policies = {
    // The statement that records listings: which parts each call recorded together.
    recordListings: async (_tenant: string, listings: ListingToRecord[], run: { runId: string; backupSetId: string }) => {
      expect(run).toEqual({ runId: RUN, backupSetId: SET.id });
      if (options.failRecording) throw options.failRecording;
      const parts = listings.map((listing) => listing.part!);
      calls.recordedParts.push(...parts);
      calls.statements.push(parts.sort());
      return listings.map((listing) => {
        const found = listing.listed.map((object) => policy(`p-${object.graphId}`, listing.policyType));
        return { policies: found, added: found.length, missing: 0, selectionRecorded: true };
      });
    },
    recordEmptyListings: async (_tenant: string, _run: string, _set: string, empty: Array<{ part: string }>) => {
      calls.emptyBatches.push(empty.map(({ part }) => part).sort());
      return new Set(empty.map(({ part }) => part).filter((part) => !(part in recordedFirst)));
    },
    findByIds: async (_tenant: string, ids: string[]) => (options.stored ?? []).filter((stored) => ids.includes(stored.id)),
  } as unknown as PoliciesRepository;
  const selections = {
    parts: async () => new Map<string, RecordedSelectionPart>(),
    recorded: async (_tenant: string, _run: string, part: string) => recordedFirst[part],
  } as unknown as BackupSetSelectionsRepository;
  // The inventory as it is, but for Graph's listings.
  const inventory = new InventoryService(policies);
  inventory.listType = async (_client: unknown, policyType: string, _delay: number, listing: ListPoliciesOptions = {}): Promise<Listed> => {
    calls.listingOptions.push(listing);
    const lookup = getPolicyTypeContract(policyType);
    if (!lookup.supported) throw new Error(`unexpected type ${policyType}`);
    // A listing answers after a turn of the event loop, as Graph's (all of them together: one $batch).
    await new Promise((resolve) => setImmediate(resolve));
    return { kind: 'listed', policyType, contract: lookup.contract, objects: listings[policyType] ?? [], listedAt: new Date() };
  };
  const service = new PolicySelectionService(inventory, policies, selections);
  const client = {
    batch: async (version: string, requests: BatchRequestItem[]) => {
      calls.batches.push({ version, urls: requests.map((request) => request.url) });
      return requests.map((request) => ({ id: request.id, ok: true, status: 200, body: { value: [] } }));
    },
  };
  const job = {
    command: { tenantId: TENANT, runId: RUN },
    client,
    deliveryCount: options.deliveryCount ?? 1,
    retryDelayMs: 1000,
    checkpoint: options.checkpoint ?? (async () => undefined),
  } as unknown as Job;
  const selected: SelectedPolicy[] = [];
  const problems: SelectionProblem[] = [];
  const resolve = (policyTypes: string[], listings?: RunListings) =>
    service.resolve(job, SET, { policyTypes }, { policies: async (found) => void selected.push(...found), problem: async (problem) => void problems.push(problem) }, listings);
  const listAhead = (policyTypes: string[]) => service.listAhead(job, { policyTypes });
  return { resolve, listAhead, calls, selected, problems };
}

describe('PolicySelectionService: a run listing its types', () => {
  it('records the listings with objects as they arrive and the empty ones together once the listings are done', async () => {
    const { resolve, calls, selected, problems } = selection({ deviceConfiguration: [{ id: 'a' }, { id: 'b' }], compliancePolicy: [{ id: 'c' }] });
    await resolve(['deviceConfiguration', 'compliancePolicy', 'windowsDriverUpdateProfile', 'windowsQualityUpdateProfile']);
    expect(calls.recordedParts.sort()).toEqual(['type:compliancePolicy', 'type:deviceConfiguration']);
    // The listings that arrived together were recorded in one statement.
    expect(calls.statements).toEqual([['type:compliancePolicy', 'type:deviceConfiguration']]);
    expect(calls.emptyBatches).toEqual([['type:windowsDriverUpdateProfile', 'type:windowsQualityUpdateProfile']]);
    expect(selected.map((target) => target.policy.id).sort()).toEqual(['p-a', 'p-b', 'p-c']);
    expect(problems).toEqual([]);
    // Every listing of the run shares the run's listings (the enrollment kinds list theirs once; first pages prefetched).
    expect(new Set(calls.listingOptions.map((listing) => listing.listings)).size).toBe(1);
    expect(calls.listingOptions.every((listing) => listing.expandAssignments === true && listing.listings instanceof RunListings)).toBe(true);
    // The first pages of the types this delivery lists were asked for together, in one batch per API version.
    expect(calls.batches).toEqual([{ version: 'beta', urls: expect.arrayContaining([expect.stringMatching(/^\/deviceManagement\/deviceConfigurations\?/), expect.stringMatching(/^\/deviceManagement\/deviceCompliancePolicies\?/)]) }]);
    expect(calls.batches[0].urls).toHaveLength(4);
  });

  it("reads a first delivery's first pages ahead, before the run has set up, and resolves the selection from them", async () => {
    const types = ['deviceConfiguration', 'compliancePolicy', 'windowsDriverUpdateProfile', 'windowsQualityUpdateProfile'];
    const { resolve, listAhead, calls, selected } = selection({ deviceConfiguration: [{ id: 'a' }] });
    const listings = listAhead(types);
    // Asked for at once, together (one batch), before any part of the selection is known.
    expect(calls.batches).toEqual([{ version: 'beta', urls: expect.arrayContaining([expect.stringMatching(/^\/deviceManagement\/deviceConfigurations\?/)]) }]);
    expect(calls.batches[0].urls).toHaveLength(4);
    await resolve(types, listings);
    // The selection's listings are those read ahead: no page is asked for again.
    expect(calls.batches).toHaveLength(1);
    expect(calls.listingOptions.every((listing) => listing.listings === listings)).toBe(true);
    expect(selected.map((target) => target.policy.id)).toEqual(['p-a']);
  });

  it('reads nothing ahead for a redelivery: it lists only the parts no earlier delivery recorded', async () => {
    const types = ['deviceConfiguration', 'compliancePolicy'];
    const { resolve, listAhead, calls } = selection({}, { deliveryCount: 2 });
    const listings = listAhead(types);
    expect(calls.batches).toEqual([]);
    await resolve(types, listings);
    expect(calls.batches).toEqual([{ version: 'beta', urls: [expect.stringMatching(/^\/deviceManagement\/deviceConfigurations\?/), expect.stringMatching(/^\/deviceManagement\/deviceCompliancePolicies\?/)] }]);
  });

  it("takes another delivery's part where it recorded an empty type first: its policies are the selection", async () => {
    const earlier = policy('p-kept', 'windowsDriverUpdateProfile');
    const { resolve, calls, selected, problems } = selection(
      {},
      { recordedFirst: { 'type:windowsDriverUpdateProfile': { policyIds: [earlier.id, 'p-gone'], problem: null } }, stored: [earlier] },
    );
    await resolve(['windowsDriverUpdateProfile', 'windowsQualityUpdateProfile']);
    expect(calls.emptyBatches).toEqual([['type:windowsDriverUpdateProfile', 'type:windowsQualityUpdateProfile']]);
    expect(selected.map((target) => target.policy.id)).toEqual(['p-kept']);
    // A policy of that part no longer in the inventory fails as not found, as for any recorded part.
    expect(problems.map((problem) => [problem.itemKey, problem.outcome])).toEqual([['policy:p-gone', 'not_found']]);
  });

  it('records no empty listing when the listings stop early (a cancel): a redelivery lists those types again', async () => {
    let checkpoints = 0;
    const canceled = new Error('canceled');
    const { resolve, calls } = selection(
      { deviceConfiguration: [{ id: 'a' }] },
      {
        checkpoint: async () => {
          checkpoints += 1;
          if (checkpoints > 2) throw canceled;
        },
      },
    );
    const types = ['windowsDriverUpdateProfile', 'windowsQualityUpdateProfile', 'deviceConfiguration', 'windowsFeatureUpdateProfile', 'compliancePolicy'];
    await expect(resolve(types)).rejects.toBe(canceled);
    expect(calls.emptyBatches).toEqual([]);
  });
});

describe('PolicySelectionService: recording the listings', () => {
  it('records the listings that arrive while a statement runs together in the next one, each type once', async () => {
    // Twelve types with objects: more than the listings in flight at once (8).
    const types = listPolicyTypes({ includeFoundations: false }).slice(0, 12);
    expect(types.length).toBeGreaterThan(8);
    const { resolve, calls, selected } = selection(Object.fromEntries(types.map((type) => [type, [{ id: `${type}-1` }]])));
    await resolve(types);
    expect(calls.recordedParts.sort()).toEqual(types.map((type) => `type:${type}`).sort());
    // Fewer statements than listings, none recording a type twice.
    expect(calls.statements.length).toBeLessThan(types.length);
    expect(calls.statements.length).toBeGreaterThan(0);
    for (const statement of calls.statements) expect(new Set(statement).size).toBe(statement.length);
    expect(selected).toHaveLength(types.length);
  });

  it('fails the selection when a statement fails, after every listing in flight has settled', async () => {
    const broken = new Error('database down');
    const { resolve, calls } = selection({ deviceConfiguration: [{ id: 'a' }], compliancePolicy: [{ id: 'c' }] }, { failRecording: broken });
    await expect(resolve(['deviceConfiguration', 'compliancePolicy', 'windowsDriverUpdateProfile'])).rejects.toBe(broken);
    // No empty listing is recorded for a selection that failed.
    expect(calls.emptyBatches).toEqual([]);
  });
});
