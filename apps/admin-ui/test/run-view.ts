// A RunView as the gateway sends it, for the admin UI's unit tests: a running inventory sync of Contoso unless told.
import type { RunView } from '../src/api/contracts';

export const TEST_TENANT_ID = 'tenant-contoso';

export function runView(overrides: Partial<RunView> = {}): RunView {
  return {
    id: 'run-1',
    tenantId: TEST_TENANT_ID,
    type: 'inventory.sync' as RunView['type'],
    target: {},
    scope: {},
    status: 'running' as RunView['status'],
    counts: { total: 4, succeeded: 1, failed: 0, skipped: 0 },
    initiator: { userId: 'u', email: 'owner@contoso.test' },
    summary: null,
    error: null,
    cancelRequested: false,
    queuedAt: '2026-12-01T10:00:00Z',
    startedAt: '2026-12-01T10:00:01Z',
    finishedAt: null,
    ...overrides,
  };
}
