import type { EntityManager } from 'typeorm';
import { RUN_TYPES, RUN_TYPES_REGISTRY, RunStatus, RunType } from '@policyvault/contracts';
import type { AuditEntry, AuditService } from './audit.service.js';
import type { RunEntity } from '../runs/run.entity.js';
import { recordRunOutcomeAudit } from './run-outcome.audit.js';

const run = (type: RunType): RunEntity =>
  ({
  id: '6a1e7b52-0c3d-4e5f-8a9b-0c1d2e3f4a5b',
  tenantId: '3f0f4a52-6c1e-4d0a-9b7e-2a1c3d4e5f60',
  type,
  status: RunStatus.Succeeded,
  target: { scheduleId: '9e8d7c6b-2222-4222-8222-000000000002', slot: '2026-01-01T02:00:00Z' },
  scope: {},
  initiatorUserId: '7b2e8c63-1d4e-4f60-9bac-1d2e3f4a5b6c',
  initiatorEmail: 'owner@contoso.test',
}) as unknown as RunEntity;

describe('which run outcomes are audited (RUN_TYPES_REGISTRY.audited)', () => {
  const recorded: AuditEntry[] = [];
  const audit = { record: async (_manager: EntityManager, entry: AuditEntry) => void recorded.push(entry) } as unknown as AuditService;
  // A run type that is not audited must not touch the transaction at all.
  const untouchable = new Proxy({}, { get: () => { throw new Error('the transaction was used'); } }) as EntityManager;

  beforeEach(() => recorded.splice(0));

  it.each(RUN_TYPES.filter((type) => !RUN_TYPES_REGISTRY[type].audited))('%s leaves no audit event', async (type) => {
    await recordRunOutcomeAudit(audit, untouchable, run(type), RunStatus.Succeeded, {});
    expect(recorded).toEqual([]);
  });

  it('a schedule run leaves its outcome (and the retention it applied)', async () => {
    expect(RUN_TYPES_REGISTRY[RunType.BackupScheduleRun].audited).toBe(true);
    await recordRunOutcomeAudit(audit, untouchable, run(RunType.BackupScheduleRun), RunStatus.Succeeded, { retention: { removed: 1 } });
    expect(recorded.map((entry) => entry.action)).toEqual(['backup_schedule.run_finished', 'backup_schedule.retention_applied']);
  });
});
