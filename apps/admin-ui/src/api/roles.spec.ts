import { isDirectoryAdmin, may, Role } from './roles';

describe('may', () => {
  it('lets each role start the run types the registry allows it', () => {
    expect(may(Role.Reader, 'inventory.sync')).toBe(false);
    expect(may(Role.Operator, 'inventory.sync')).toBe(true);
    expect(may(Role.Operator, 'restore.execute')).toBe(false);
    expect(may(Role.Owner, 'restore.execute')).toBe(true);
  });

  it('keeps schedules, the audit log and the tenant settings to owners', () => {
    for (const action of ['schedules', 'audit-log', 'tenant'] as const) {
      expect(may(Role.Operator, action)).toBe(false);
      expect(may(Role.Owner, action)).toBe(true);
    }
  });

  it('lets an operator cancel their own run and only an owner anyone else’s', () => {
    expect(may(Role.Reader, 'cancel-own-run')).toBe(false);
    expect(may(Role.Operator, 'cancel-own-run')).toBe(true);
    expect(may(Role.Operator, 'cancel-any-run')).toBe(false);
    expect(may(Role.Owner, 'cancel-any-run')).toBe(true);
  });

  it('allows nothing while the role is unknown', () => {
    expect(may(undefined, 'drift.check')).toBe(false);
  });
});

describe('isDirectoryAdmin', () => {
  it('is the directory role admin only', () => {
    expect(isDirectoryAdmin('admin')).toBe(true);
    expect(isDirectoryAdmin(null)).toBe(false);
    expect(isDirectoryAdmin(undefined)).toBe(false);
  });
});
