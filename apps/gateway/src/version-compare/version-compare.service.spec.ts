import { jest } from '@jest/globals';
import { RunItemStatus, RunStatus, RunType, TenantRole, type RunItemView, type RunView } from '@policyvault/contracts';
import type { BackupStoreClient } from '../backups/backup-store.client.js';
import { GatewayErrorCode } from '../errors/gateway-error-code.js';
import type { RunServiceClient } from '../runs/run-service.client.js';
import type { StartRunService } from '../runs/start-run.service.js';
import type { TenantAccess } from '../tenants/tenant-access.js';
import { VersionCompareService } from './version-compare.service.js';

type AsyncMock = jest.Mock<(...args: unknown[]) => Promise<unknown>>;
const resolving = (value: unknown): AsyncMock => jest.fn<(...args: unknown[]) => Promise<unknown>>().mockResolvedValue(value);

const TENANT = '11111111-0000-4000-8000-000000000001';
const POLICY = '22222222-0000-4000-8000-000000000001';
const FROM = '33333333-0000-4000-8000-000000000001';
const CAPTURED = '33333333-0000-4000-8000-000000000002';
const RUN = '44444444-0000-4000-8000-000000000001';
const access: TenantAccess = { tenantId: TENANT, directoryId: 'dir', displayName: 'Contoso', role: TenantRole.Operator, userId: 'u', email: 'op@contoso.test', disabledAt: null };

function run(overrides: Partial<RunView> = {}): RunView {
  return {
    id: RUN, tenantId: TENANT, type: RunType.PolicyCaptureSnapshot, target: { policyId: POLICY }, scope: {}, status: RunStatus.Succeeded,
    counts: { total: 1, succeeded: 1, failed: 0, skipped: 0 }, initiator: { userId: 'u', email: 'op@contoso.test' }, summary: {}, error: null,
    cancelRequested: false, queuedAt: '2024-01-01T00:00:00Z', startedAt: null, finishedAt: null, ...overrides,
  };
}

function item(overrides: Partial<RunItemView> = {}): RunItemView {
  return { runId: RUN, itemKey: `policy:${POLICY}`, status: RunItemStatus.Succeeded, label: 'Policy', outcome: 'captured', error: null, result: { versionId: CAPTURED }, finishedAt: '2024-01-01T00:00:00Z', ...overrides };
}

describe('VersionCompareService', () => {
  const comparison = { policyId: POLICY, differences: [] };
  let backupStore: { comparePolicyVersions: AsyncMock; getPolicyVersion: AsyncMock };
  let runService: { get: AsyncMock; listItems: AsyncMock };
  let startRun: { execute: AsyncMock };
  let service: VersionCompareService;

  beforeEach(() => {
    backupStore = { comparePolicyVersions: resolving(comparison), getPolicyVersion: resolving({ id: FROM, policyId: POLICY }) };
    runService = { get: resolving(run()), listItems: resolving({ items: [item()], nextCursor: null }) };
    startRun = { execute: resolving({ run: run({ status: RunStatus.Queued }), reused: false }) };
    service = new VersionCompareService(backupStore as unknown as BackupStoreClient, runService as unknown as RunServiceClient, startRun as unknown as StartRunService);
  });

  const rejectsWith = (promise: Promise<unknown>, code: GatewayErrorCode) => expect(promise).rejects.toMatchObject({ code });

  it('compares two stored versions without starting anything', async () => {
    await expect(service.compare(access, POLICY, FROM, CAPTURED)).resolves.toEqual({ kind: 'compared', comparison });
    expect(backupStore.comparePolicyVersions).toHaveBeenCalledWith({ tenantId: TENANT, policyId: POLICY, fromVersionId: FROM, toVersionId: CAPTURED });
    expect(startRun.execute).not.toHaveBeenCalled();
  });

  it('to=live starts a capture of the policy through StartRunService and says where the diff will be', async () => {
    const answer = await service.compare(access, POLICY, FROM, 'live');
    expect(startRun.execute).toHaveBeenCalledWith(access, { type: RunType.PolicyCaptureSnapshot, target: { policyId: POLICY }, scope: {} });
    expect(answer).toMatchObject({
      kind: 'started',
      started: { reused: false, run: { id: RUN }, compareWhenDone: `/api/tenants/${TENANT}/policies/${POLICY}/versions/compare?from=${FROM}&to=run%3A${RUN}` },
    });
    expect(backupStore.comparePolicyVersions).not.toHaveBeenCalled();
  });

  it('to=live as a reader is 403 before anything is read or started', async () => {
    await rejectsWith(service.compare({ ...access, role: TenantRole.Reader }, POLICY, FROM, 'live'), GatewayErrorCode.InsufficientRole);
    expect(backupStore.getPolicyVersion).not.toHaveBeenCalled();
    expect(startRun.execute).not.toHaveBeenCalled();
  });

  it('to=live with a from of another policy is 404 before any run starts', async () => {
    backupStore.getPolicyVersion.mockResolvedValue({ id: FROM, policyId: '22222222-0000-4000-8000-000000000009' });
    await rejectsWith(service.compare(access, POLICY, FROM, 'live'), GatewayErrorCode.NotFound);
    expect(startRun.execute).not.toHaveBeenCalled();
  });

  it('to=run:<id> compares with the version the finished run recorded (captured or unchanged alike)', async () => {
    runService.listItems.mockResolvedValue({ items: [item({ outcome: 'unchanged' })], nextCursor: null });
    await expect(service.compare(access, POLICY, FROM, `run:${RUN}`)).resolves.toEqual({ kind: 'compared', comparison });
    expect(runService.get).toHaveBeenCalledWith({ tenantId: TENANT, runId: RUN });
    expect(backupStore.comparePolicyVersions).toHaveBeenCalledWith({ tenantId: TENANT, policyId: POLICY, fromVersionId: FROM, toVersionId: CAPTURED });
  });

  it.each([RunStatus.Queued, RunStatus.Running])('to=run:<id> while the run is %s is a conflict', async (status) => {
    runService.get.mockResolvedValue(run({ status }));
    await rejectsWith(service.compare(access, POLICY, FROM, `run:${RUN}`), GatewayErrorCode.Conflict);
    expect(runService.listItems).not.toHaveBeenCalled();
  });

  it('to=run:<id> of a run that recorded no version is 422 with the item\'s reason', async () => {
    runService.get.mockResolvedValue(run({ status: RunStatus.Failed }));
    runService.listItems.mockResolvedValue({ items: [item({ status: RunItemStatus.Failed, result: null, error: { code: 'not_found', message: "The policy is not in this tenant's inventory." } as never })], nextCursor: null });
    const answer = service.compare(access, POLICY, FROM, `run:${RUN}`);
    await rejectsWith(answer, GatewayErrorCode.RunProducedNothing);
    await expect(answer).rejects.toThrow(/not in this tenant's inventory/);
    expect(backupStore.comparePolicyVersions).not.toHaveBeenCalled();
  });

  it('to=run:<id> of a canceled run with no items is 422', async () => {
    runService.get.mockResolvedValue(run({ status: RunStatus.Canceled }));
    runService.listItems.mockResolvedValue({ items: [], nextCursor: null });
    await rejectsWith(service.compare(access, POLICY, FROM, `run:${RUN}`), GatewayErrorCode.RunProducedNothing);
  });

  it.each([
    ['another run type', run({ type: RunType.DriftCheck, target: {} })],
    ['a capture of another policy', run({ target: { policyId: '22222222-0000-4000-8000-000000000009' } })],
  ])('to=run:<id> of %s is 404', async (_name, other) => {
    runService.get.mockResolvedValue(other);
    await rejectsWith(service.compare(access, POLICY, FROM, `run:${RUN}`), GatewayErrorCode.NotFound);
  });
});
