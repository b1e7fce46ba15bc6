// Example replies for the stand-in services: one view of each kind, overridable per test.
import {
  RunStatus,
  RunType,
  type BackupItemView,
  type BackupSetView,
  type PolicyVersionSummary,
  type PolicyVersionView,
  type PolicyView,
  type RunView,
} from '@policyvault/contracts';

const TENANT_ID = '0b0e3c1e-6a2f-4c1e-9d4c-3f1a2b3c4d01';
const RUN_ID = '6a1e7b52-0c3d-4e5f-8a9b-0c1d2e3f4a5b';
const AT = '2026-01-02T03:04:05.000Z';

export function runView(overrides: Partial<RunView> = {}): RunView {
  return {
    id: RUN_ID,
    tenantId: TENANT_ID,
    type: RunType.InventorySync,
    target: {},
    scope: {},
    status: RunStatus.Queued,
    counts: { total: 0, succeeded: 0, failed: 0, skipped: 0 },
    initiator: { userId: '5d1b7a10-0000-4000-8000-000000000001', email: 'owner@contoso.test' },
    summary: null,
    error: null,
    cancelRequested: false,
    queuedAt: AT,
    startedAt: null,
    finishedAt: null,
    ...overrides,
  };
}

export function policyView(overrides: Partial<PolicyView> = {}): PolicyView {
  return {
    id: '3f0f4a52-6c1e-4d0a-9b7e-2a1c3d4e5f60',
    tenantId: TENANT_ID,
    graphId: 'a1b2c3d4-0000-4000-8000-00000000beef',
    policyType: 'deviceConfiguration',
    displayName: 'Windows baseline',
    firstSeenAt: AT,
    lastSeenAt: AT,
    missingSince: null,
    latestVersionId: '7c2d9e10-1111-4111-8111-000000000001',
    ...overrides,
  };
}

export function policyVersionSummary(overrides: Partial<PolicyVersionSummary> = {}): PolicyVersionSummary {
  return {
    id: '7c2d9e10-1111-4111-8111-000000000001',
    policyId: '3f0f4a52-6c1e-4d0a-9b7e-2a1c3d4e5f60',
    contentHash: 'sha256:0f1e2d3c',
    capturedAt: AT,
    capturedByRunId: RUN_ID,
    sizeBytes: 123,
    ...overrides,
  };
}

export function policyVersionView(overrides: Partial<PolicyVersionView> = {}): PolicyVersionView {
  return {
    ...policyVersionSummary(),
    tenantId: TENANT_ID,
    graphId: 'a1b2c3d4-0000-4000-8000-00000000beef',
    policyType: 'deviceConfiguration',
    displayName: 'Windows baseline',
    snapshot: { '@odata.type': '#microsoft.graph.windows10GeneralConfiguration', displayName: 'Windows baseline', assignments: [] },
    ...overrides,
  };
}

export function backupSetView(overrides: Partial<BackupSetView> = {}): BackupSetView {
  return {
    id: '9e8d7c6b-2222-4222-8222-000000000002',
    tenantId: TENANT_ID,
    name: 'Nightly',
    status: 'complete',
    includeFoundations: true,
    itemCount: 1,
    createdByRunId: RUN_ID,
    scheduleId: null,
    createdAt: AT,
    completedAt: AT,
    ...overrides,
  };
}

export function backupItemView(overrides: Partial<BackupItemView> = {}): BackupItemView {
  return {
    id: '5a4b3c2d-3333-4333-8333-000000000003',
    backupSetId: '9e8d7c6b-2222-4222-8222-000000000002',
    policyId: '3f0f4a52-6c1e-4d0a-9b7e-2a1c3d4e5f60',
    policyVersionId: '7c2d9e10-1111-4111-8111-000000000001',
    policyType: 'deviceConfiguration',
    graphId: 'a1b2c3d4-0000-4000-8000-00000000beef',
    displayName: 'Windows baseline',
    isFoundation: false,
    addedByRunId: RUN_ID,
    addedAt: AT,
    odataType: '#microsoft.graph.windows10GeneralConfiguration',
    references: {},
    ...overrides,
  };
}
