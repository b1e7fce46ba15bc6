import { TenantRole, type FleetStatusRequest, type StartRunReply } from '@policyvault/contracts';
import type { TenantEntity } from '../tenants/tenant.entity.js';
import { FleetOverviewService } from './fleet-overview.service.js';
import type { FleetRunServiceClient } from './fleet-run-service.client.js';
import { FleetRunsService } from './fleet-runs.service.js';
import type { FleetTenantsService } from './fleet-tenants.service.js';
import { fleetTenantAttributes, visibleFleetTenants, type FleetTenant } from './fleet-visibility.js';
import type { StartRunService } from '../runs/start-run.service.js';
import type { FleetBatchRepository, NewFleetBatchRun } from './fleet-batch.repository.js';

const USER = '5d1b7a10-0000-4000-8000-0000000000aa';
const tenant = (id: string, extra: object = {}) =>
  ({ id, displayName: `Tenant ${id}`, directoryId: `dir-${id}`, createdAt: new Date(0), ...extra }) as TenantEntity;

describe('who sees which tenant in the fleet', () => {
  const rows = [
    { tenant: tenant('a'), userId: USER, membershipRole: TenantRole.Reader },
    { tenant: tenant('b'), userId: USER, membershipRole: null },
  ];

  it('shows a member their tenants with their role, and nothing else', () => {
    expect(visibleFleetTenants(rows, false, 'me@msp.test').map(({ access }) => [access.tenantId, access.role])).toEqual([['a', TenantRole.Reader]]);
  });

  it('shows a directory admin every tenant, acting as an owner', () => {
    expect(visibleFleetTenants(rows, true, 'admin@msp.test').map(({ access }) => [access.tenantId, access.role])).toEqual([
      ['a', TenantRole.Owner],
      ['b', TenantRole.Owner],
    ]);
  });

  it('reads tags and the disabled state when the tenant row has them, and defaults them when not', () => {
    expect(fleetTenantAttributes(tenant('a'))).toEqual({ tags: [], disabled: false });
    expect(fleetTenantAttributes(tenant('a', { tags: ['gold'], disabledAt: null }))).toEqual({ tags: ['gold'], disabled: false });
    expect(fleetTenantAttributes(tenant('a', { tags: ['gold'], disabledAt: new Date() }))).toEqual({ tags: ['gold'], disabled: true });
  });
});

describe('fleet services with tags and disabled tenants', () => {
  const fleetTenant = (id: string, tags: string[], disabled = false): FleetTenant => ({
    access: { tenantId: id, directoryId: `dir-${id}`, displayName: id, role: TenantRole.Operator, userId: USER, email: 'me@msp.test', disabledAt: disabled ? new Date(0).toISOString() : null },
    tags,
    disabled,
  });
  const tenants = [fleetTenant('a', ['gold']), fleetTenant('b', []), fleetTenant('c', ['gold'], true)];
  const identity = { email: 'me@msp.test', subject: 'me', userId: USER, directoryRole: null };
  const requests: FleetStatusRequest[] = [];
  const client = {
    status: async (request: FleetStatusRequest) => {
      requests.push(request);
      return { total: request.tenantIds.length, items: [], tenantIds: request.tenantIds };
    },
  } as unknown as FleetRunServiceClient;
  const visibility = { visibleTo: async () => tenants } as unknown as FleetTenantsService;
  const overview = new FleetOverviewService(visibility, client);

  beforeEach(() => requests.splice(0));

  it('sends run-service only the tenants carrying the tag, in name order', async () => {
    await overview.page(identity, { tag: 'gold', health: 'ok' });
    expect(requests).toEqual([{ tenantIds: ['a', 'c'], filter: { health: 'ok' }, sort: 'name', limit: 50, offset: 0 }]);
  });

  it('answers a tag nobody carries without asking run-service', async () => {
    expect(await overview.page(identity, { tag: 'silver' })).toEqual({ items: [], total: 0, nextCursor: null });
    expect(requests).toEqual([]);
  });

  it('rejects a disabled tenant of a fleet start without starting a run there', async () => {
    const started: string[] = [];
    const startRun = {
      execute: async (access: { tenantId: string }): Promise<StartRunReply> => {
        started.push(access.tenantId);
        return { reused: false, run: { id: `run-${access.tenantId}` } } as StartRunReply;
      },
    } as unknown as StartRunService;
    let recorded: NewFleetBatchRun[] = [];
    const batches = {
      create: async (batch: { id: string; type: string }, runs: NewFleetBatchRun[]) => {
        recorded = runs;
        return { ...batch, target: {}, scope: {}, createdAt: new Date(0) };
      },
    } as unknown as FleetBatchRepository;
    const fleetRuns = new FleetRunsService(visibility, overview, startRun, batches, client);

    const reply = await fleetRuns.start(identity, { type: 'inventory.sync' as never, target: {}, scope: {}, filter: { tag: 'gold' } });

    expect(started).toEqual(['a']);
    expect(recorded).toEqual([
      { tenantId: 'a', outcome: 'started', runId: 'run-a', reasonCode: null, reason: null },
      { tenantId: 'c', outcome: 'rejected', runId: null, reasonCode: 'tenant_disabled', reason: 'the tenant is disabled: it starts no runs' },
    ]);
    expect(reply.counts).toEqual({ started: 1, reused: 0, rejected: 1 });
  });
});
