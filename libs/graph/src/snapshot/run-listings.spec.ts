import { SafeErrorCode } from '@policyvault/contracts';
import { GraphError } from '../errors/graph-error.js';
import type { BatchItemResult, BatchRequestItem, GraphClient } from '../client/graph-client.js';
import { listPolicies } from './policy-reader.js';
import { RunListings } from './run-listings.js';

const CONFIGURATIONS = '/deviceManagement/deviceConfigurations?$top=100';
const COMPLIANCE = '/deviceManagement/deviceCompliancePolicies?$top=100&$expand=scheduledActionsForRule($expand=scheduledActionConfigurations)';

const SETTINGS = '/deviceManagement/settings';
const DEP_PARENTS = '/deviceManagement/depOnboardingSettings?$select=id';

/**
 * A client whose `$batch` answers as scripted and whose direct listings answer from `direct` (direct reads of one
 * object from `objects`), recording all.
 */
function scriptedClient(
  batch: (requests: BatchRequestItem[]) => Promise<BatchItemResult[]>,
  direct: Record<string, Array<Record<string, unknown>>> = {},
  objects: Record<string, Record<string, unknown>> = {},
) {
  const calls = { batches: [] as string[][], listed: [] as string[], read: [] as string[] };
  const client = {
    batch: async (_version: string, requests: BatchRequestItem[]) => {
      calls.batches.push(requests.map((request) => request.url));
      return batch(requests);
    },
    listAll: async (url: string) => {
      calls.listed.push(url);
      return direct[url] ?? [];
    },
    get: async (url: string) => {
      calls.read.push(url);
      return objects[url] ?? {};
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

  it("reads a singleton type's object and a nested type's parents in the batch, as listPolicies asks for them", async () => {
    const { client, calls } = scriptedClient(
      async (requests) =>
        requests.map((request) => ({
          id: request.id,
          ok: true,
          status: 200,
          body:
            request.url === SETTINGS
              ? { '@odata.context': 'https://graph.test/beta/$metadata#deviceManagement/settings', deviceComplianceCheckinThresholdDays: 30 }
              : request.url === DEP_PARENTS
                ? { value: [{ id: 'dep1' }] }
                : { value: [{ id: 'c1' }] },
        })),
      { '/beta/deviceManagement/depOnboardingSettings/dep1/enrollmentProfiles?$top=100': [{ id: 'profile1' }] },
    );
    const listings = new RunListings(client);
    listings.prefetch(['deviceConfiguration', 'deviceManagementSettings', 'appleEnrollmentProfile']);
    expect(calls.batches).toEqual([[CONFIGURATIONS, SETTINGS, DEP_PARENTS]]);
    const settings = await listPolicies(client, 'deviceManagementSettings', 100, { listings });
    expect(settings.supported && settings.items).toEqual([{ id: 'deviceManagementSettings', deviceComplianceCheckinThresholdDays: 30 }]);
    expect(await listed(client, listings, 'appleEnrollmentProfile')).toEqual(['dep1/profile1']);
    // The parents came with the batch; only the children, one listing per parent, are read alone.
    expect(calls.read).toEqual([]);
    expect(calls.listed).toEqual(['/beta/deviceManagement/depOnboardingSettings/dep1/enrollmentProfiles?$top=100']);
  });

  it("fails a singleton's read with its sub-request's own error, and reads it alone when the batch got no answer", async () => {
    const forbidden = new GraphError({ code: SafeErrorCode.GraphForbidden, httpStatus: 403 });
    const refused = scriptedClient(async (requests) => requests.map((request) => ({ id: request.id, ok: false, error: forbidden })));
    const refusedListings = new RunListings(refused.client);
    refusedListings.prefetch(['deviceConfiguration', 'deviceManagementSettings']);
    await expect(listPolicies(refused.client, 'deviceManagementSettings', 100, { listings: refusedListings })).rejects.toBe(forbidden);
    expect(refused.calls.read).toEqual([]);

    const lost = scriptedClient(
      async () => {
        throw new GraphError({ code: SafeErrorCode.GraphTimeout, transient: true });
      },
      {},
      { [`/beta${SETTINGS}`]: { deviceComplianceCheckinThresholdDays: 7 } },
    );
    const lostListings = new RunListings(lost.client);
    lostListings.prefetch(['deviceConfiguration', 'deviceManagementSettings']);
    const settings = await listPolicies(lost.client, 'deviceManagementSettings', 100, { listings: lostListings });
    expect(settings.supported && settings.items).toEqual([{ id: 'deviceManagementSettings', deviceComplianceCheckinThresholdDays: 7 }]);
    expect(lost.calls.read).toEqual([`/beta${SETTINGS}`]);
  });

  it('leaves a collection alone in its API version to its own request', async () => {
    const { client, calls } = scriptedClient(async () => []);
    const listings = new RunListings(client);
    listings.prefetch(['deviceConfiguration']);
    expect(calls.batches).toEqual([]);
  });
});
