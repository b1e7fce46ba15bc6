import { RUN_TYPES, RunType, TenantRole } from '@policyvault/contracts';
import { mayStartRun } from './run-role.policy.js';

// Written out by hand (not derived from the registry's minimumRole) so that a change to who may start
// what has to be made twice, on purpose.
const EXPECTED: Record<RunType, Record<TenantRole, boolean>> = {
  [RunType.InventorySync]: { reader: false, operator: true, owner: true },
  [RunType.PolicyCaptureSnapshot]: { reader: false, operator: true, owner: true },
  [RunType.BackupSetCreate]: { reader: false, operator: true, owner: true },
  [RunType.BackupSetAddPolicies]: { reader: false, operator: true, owner: true },
  [RunType.RestorePreview]: { reader: false, operator: true, owner: true },
  [RunType.RestoreExecute]: { reader: false, operator: false, owner: true },
  [RunType.BackupScheduleRun]: { reader: false, operator: false, owner: true },
  [RunType.TenantVerifyAccess]: { reader: false, operator: false, owner: true },
  [RunType.DriftCheck]: { reader: false, operator: true, owner: true },
  [RunType.BackupSetImport]: { reader: false, operator: true, owner: true },
};

describe('who may start which run', () => {
  it('covers every run type', () => {
    expect(Object.keys(EXPECTED).sort()).toEqual([...RUN_TYPES].sort());
  });

  const cases = RUN_TYPES.flatMap((type) => Object.values(TenantRole).map((role) => [type, role, EXPECTED[type][role]] as const));
  it.each(cases)('%s as %s → %s', (type, role, allowed) => {
    expect(mayStartRun(role, type)).toBe(allowed);
  });
});
