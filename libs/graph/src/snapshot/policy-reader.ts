import { SafeErrorCode } from '@policyvault/contracts';
import { getPolicyTypeContract } from '../contracts/policy-type-contracts.js';
import type { PolicyTypeContract } from '../contracts/policy-type-contract.js';
import { GraphError } from '../errors/graph-error.js';
import type { BatchItemResult, BatchRequestItem, GraphClient } from '../client/graph-client.js';

/** One policy as captured: the object with its sub-resources embedded under their Graph names. */
export interface PolicySnapshot {
  policyType: string;
  id: string;
  displayName: string;
  object: Record<string, unknown>;
}

export type SnapshotResult = { id: string; ok: true; snapshot: PolicySnapshot } | { id: string; ok: false; error: GraphError };

export type Unsupported = { supported: false; type: string; reason: string };

export type ListPoliciesResult = { supported: true; items: Array<Record<string, unknown>> } | Unsupported;
export type ReadSnapshotsResult = { supported: true; results: SnapshotResult[] } | Unsupported;

type GraphObject = Record<string, unknown>;

export function collectionUrl(contract: PolicyTypeContract): string {
  return `/${contract.apiVersion}${contract.collectionPath}`;
}

/** Every object of a type (list shape, which may omit large properties such as script content). */
export async function listPolicies(client: GraphClient, type: string, pageSize = 100): Promise<ListPoliciesResult> {
  const lookup = getPolicyTypeContract(type);
  if (!lookup.supported) return lookup;
  const items = await client.listAll<GraphObject>(`${collectionUrl(lookup.contract)}?$top=${pageSize}`);
  return { supported: true, items };
}

/**
 * Complete snapshots of the given objects, read through `$batch`: the object itself (when the list shape
 * is incomplete or only ids are known) plus every sub-resource, following each sub-resource's nextLink.
 * Failures are per object (e.g. one 404), so a capture can record them item by item.
 * Throws `TenantUnavailableError` when the tenant's breaker opens: the caller postpones the work.
 */
export async function readPolicySnapshots(client: GraphClient, type: string, objects: Array<string | GraphObject>): Promise<ReadSnapshotsResult> {
  const lookup = getPolicyTypeContract(type);
  if (!lookup.supported) return lookup;
  const contract = lookup.contract;
  const requests: BatchRequestItem[] = [];
  const plans = objects.map((entry, index) => {
    const listed = typeof entry === 'string' ? undefined : entry;
    const id = typeof entry === 'string' ? entry : String(entry.id);
    const base = `${contract.collectionPath}/${encodeURIComponent(id)}`;
    const needsObject = !listed || contract.readEachById;
    if (needsObject) requests.push({ id: `${index}:object`, method: 'GET', url: base });
    for (const sub of contract.subResources) {
      requests.push({ id: `${index}:${sub.name}`, method: 'GET', url: `${base}/${sub.segment}${sub.expand ? `?$expand=${sub.expand}` : ''}` });
    }
    return { index, id, listed, needsObject };
  });
  const results = requests.length > 0 ? await client.batch(contract.apiVersion, requests) : [];
  const byId = new Map<string, BatchItemResult>(results.map((result) => [result.id, result]));

  const snapshots = await Promise.all(
    plans.map(async (plan): Promise<SnapshotResult> => {
      try {
        const object: GraphObject = plan.needsObject ? ((await expectOk(byId.get(`${plan.index}:object`))) as GraphObject) : { ...plan.listed };
        for (const sub of contract.subResources) {
          object[sub.name] = await collectionValues(client, await expectOk(byId.get(`${plan.index}:${sub.name}`)));
        }
        delete object['@odata.context'];
        const name = object[contract.nameProperty];
        return {
          id: plan.id,
          ok: true,
          snapshot: { policyType: contract.type, id: plan.id, displayName: typeof name === 'string' ? name : '', object },
        };
      } catch (error) {
        if (!(error instanceof GraphError)) throw error;
        return { id: plan.id, ok: false, error };
      }
    }),
  );
  return { supported: true, results: snapshots };
}

export async function readPolicySnapshot(client: GraphClient, type: string, id: string): Promise<SnapshotResult | Unsupported> {
  const result = await readPolicySnapshots(client, type, [id]);
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

async function expectOk(result: BatchItemResult | undefined): Promise<unknown> {
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
