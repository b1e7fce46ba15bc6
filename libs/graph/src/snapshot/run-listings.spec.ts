import { SafeErrorCode } from '@policyvault/contracts';
import { GraphError } from '../errors/graph-error.js';
import type { BatchItemResult, BatchRequestItem, GraphClient } from '../client/graph-client.js';
import { listPolicies } from './policy-reader.js';
import { RunListings } from './run-listings.js';

const CONFIGURATIONS = '/deviceManagement/deviceConfigurations?$top=100';
const COMPLIANCE = '/deviceManagement/deviceCompliancePolicies?$top=100&$expand=scheduledActionsForRule($expand=scheduledActionConfigurations)';

/** A client whose `$batch` answers as scripted and whose direct listings answer from `direct`, recording both. */
function scriptedClient(batch: (requests: BatchRequestItem[]) => Promise<BatchItemResult[]>, direct: Record<string, Array<Record<string, unknown>>> = {}) {
  const calls = { batches: [] as string[][], listed: [] as string[] };
  const client = {
    batch: async (_version: string, requests: BatchRequestItem[]) => {
      calls.batches.push(requests.map((request) => request.url));
      return batch(requests);
    },
    listAll: async (url: string) => {
      calls.listed.push(url);
      return direct[url] ?? [];
    },
  } as unknown as GraphClient;
  return { client, calls };
}

const listed = async (client: GraphClient, listings: RunListings, type: string) => {
  const result = await listPolicies(client, type, 100, { listings });
  return result.supported ? result.items.map((item) => item.id) : result;
};

describe('RunListings', () => {
  it('takes each prefetched first page once and follows its next link', async () => {
    const { client, calls } = scriptedClient(
      async (requests) =>
        requests.map((request) =>
          request.url === CONFIGURATIONS
            ? { id: request.id, ok: true, status: 200, body: { value: [{ id: 'c1' }], '@odata.nextLink': 'https://graph.test/beta/next' } }
            : { id: request.id, ok: true, status: 200, body: { value: [{ id: 'p1' }] } },
        ),
      { 'https://graph.test/beta/next': [{ id: 'c2' }] },
    );
    const listings = new RunListings(client);
    listings.prefetch(['deviceConfiguration', 'compliancePolicy']);
    expect(calls.batches).toEqual([[CONFIGURATIONS, COMPLIANCE]]);
    expect(await listed(client, listings, 'deviceConfiguration')).toEqual(['c1', 'c2']);
    expect(await listed(client, listings, 'compliancePolicy')).toEqual(['p1']);
    // Taken once: a second listing of the same collection reads it again.
    expect(await listed(client, listings, 'compliancePolicy')).toEqual([]);
    expect(calls.listed).toEqual(['https://graph.test/beta/next', `/beta${COMPLIANCE}`]);
  });

  it("fails a listing with its sub-request's own error, as the request alone would", async () => {
    const forbidden = new GraphError({ code: SafeErrorCode.GraphForbidden, httpStatus: 403 });
    const { client, calls } = scriptedClient(async (requests) => requests.map((request) => ({ id: request.id, ok: false, error: forbidden })));
    const listings = new RunListings(client);
    listings.prefetch(['deviceConfiguration', 'compliancePolicy']);
    await expect(listed(client, listings, 'deviceConfiguration')).rejects.toBe(forbidden);
    expect(calls.listed).toEqual([]);
  });

  it('lists alone what a batch that got no answer held, with its own timeout and retries', async () => {
    const { client, calls } = scriptedClient(
      async () => {
        throw new GraphError({ code: SafeErrorCode.GraphTimeout, transient: true });
      },
      { [`/beta${CONFIGURATIONS}`]: [{ id: 'c1' }] },
    );
    const listings = new RunListings(client);
    listings.prefetch(['deviceConfiguration', 'compliancePolicy']);
    expect(await listed(client, listings, 'deviceConfiguration')).toEqual(['c1']);
    expect(await listed(client, listings, 'compliancePolicy')).toEqual([]);
    expect(calls.listed).toEqual([`/beta${CONFIGURATIONS}`, `/beta${COMPLIANCE}`]);
  });

  it('leaves a collection alone in its API version to its own request', async () => {
    const { client, calls } = scriptedClient(async () => []);
    const listings = new RunListings(client);
    listings.prefetch(['deviceConfiguration']);
    expect(calls.batches).toEqual([]);
  });
});
