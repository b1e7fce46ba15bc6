import { PolicySelectionScope, RunType } from '@policyvault/contracts';
import { validateRunTargetAndScope } from './validate-run-target-scope.js';

const UUID = '3f0f4a52-6c1e-4d0a-9b7e-2a1c3d4e5f60';

/** The problems, or [] when valid (the gateway's 400 body lists them). */
function runRequestShapeProblems(type: RunType, target: object, scope: object): string[] {
  const result = validateRunTargetAndScope(type, target, scope);
  return result.ok ? [] : result.problems;
}

describe('validateRunTargetAndScope', () => {
  it('accepts every run type with a valid target and scope', () => {
    expect(runRequestShapeProblems(RunType.InventorySync, {}, { policyTypes: ['deviceConfiguration'] })).toEqual([]);
    expect(runRequestShapeProblems(RunType.PolicyCaptureSnapshot, { policyId: UUID }, {})).toEqual([]);
    expect(runRequestShapeProblems(RunType.BackupSetCreate, { name: 'Nightly' }, { policyIds: [UUID], includeFoundations: true })).toEqual([]);
    expect(runRequestShapeProblems(RunType.BackupSetAddPolicies, { backupSetId: UUID }, { policyTypes: ['settingsCatalog'] })).toEqual([]);
    expect(runRequestShapeProblems(RunType.RestorePreview, { backupSetId: UUID }, { backupItemIds: [UUID] })).toEqual([]);
    expect(runRequestShapeProblems(RunType.RestoreExecute, { backupSetId: UUID }, { includeAssignments: false })).toEqual([]);
    expect(
      runRequestShapeProblems(RunType.BackupScheduleRun, { scheduleId: UUID, slot: '2026-01-01T02:00:00Z' }, { scheduleName: 'Nightly', keepLast: 7 }),
    ).toEqual([]);
  });

  it('names the field of each problem under target. or scope.', () => {
    expect(runRequestShapeProblems(RunType.PolicyCaptureSnapshot, { policyId: 'nope' }, {})).toEqual(['target.policyId: must be a UUID']);
    expect(runRequestShapeProblems(RunType.PolicyCaptureSnapshot, {}, {})).toEqual(['target.policyId: must be a UUID']);
    expect(runRequestShapeProblems(RunType.BackupSetCreate, { name: 'x', extra: 1 }, {})).toEqual([
      'target.extra: property extra should not exist',
    ]);
    expect(runRequestShapeProblems(RunType.RestoreExecute, { backupSetId: UUID }, { backupItemIds: ['x'] })).toEqual([
      'scope.backupItemIds: each value in backupItemIds must be a UUID',
    ]);
    expect(runRequestShapeProblems(RunType.RestorePreview, { backupSetId: UUID }, { includeAssignments: 'yes' })).toEqual([
      'scope.includeAssignments: must be a boolean value',
    ]);
  });

  it('requires the schedule settings in the scope of a schedule run (copied by the dispatcher)', () => {
    expect(runRequestShapeProblems(RunType.BackupScheduleRun, { scheduleId: UUID, slot: '2026-01-01T02:00:00Z' }, {})).toEqual([
      'scope.scheduleName: must be longer than or equal to 1 characters',
      'scope.scheduleName: must be a string',
      'scope.keepLast: must not be greater than 1000',
      'scope.keepLast: must not be less than 1',
      'scope.keepLast: must be an integer number',
    ]);
  });

  it('accepts nothing in an empty target or scope', () => {
    expect(runRequestShapeProblems(RunType.InventorySync, { policyId: UUID }, {})).toEqual(['target.policyId: property policyId should not exist']);
    expect(runRequestShapeProblems(RunType.PolicyCaptureSnapshot, { policyId: UUID }, { everything: true })).toEqual([
      'scope.everything: property everything should not exist',
    ]);
  });

  it('caps the size of target and scope', () => {
    expect(runRequestShapeProblems(RunType.BackupSetCreate, { name: 'x'.repeat(3000) }, {})).toEqual([
      expect.stringMatching(/^target: must not exceed 2048 bytes of JSON/),
    ]);
    const maximalSelection = Array.from({ length: 5000 }, () => UUID);
    expect(runRequestShapeProblems(RunType.RestorePreview, { backupSetId: UUID }, { backupItemIds: maximalSelection })).toEqual([]);
    expect(
      runRequestShapeProblems(RunType.RestorePreview, { backupSetId: UUID }, { backupItemIds: maximalSelection, padding: 'x'.repeat(20_000) }),
    ).toEqual([expect.stringMatching(/^scope: must not exceed 204800 bytes of JSON/)]);
  });

  it('types what it returns after the run type, and says what is not a JSON object', () => {
    const result = validateRunTargetAndScope(RunType.BackupSetAddPolicies, { backupSetId: UUID }, { policyTypes: ['settingsCatalog'] });
    expect(result.ok && result.value.target.backupSetId).toBe(UUID);
    expect(result.ok && result.value.scope).toBeInstanceOf(PolicySelectionScope);
    expect(validateRunTargetAndScope(RunType.InventorySync, [], null)).toEqual({
      ok: false,
      problems: ['target: must be a JSON object', 'scope: must be a JSON object'],
    });
  });
});
