import type { TenantRoleValue } from './contracts';
import { isDirectoryAdmin, may, Role, type TenantAction } from './roles';

describe('may', () => {
  // [action, the least role that may do it]: each role below it may not.
  const cases: [TenantAction, TenantRoleValue][] = [
    ['inventory.sync', Role.Operator],
    ['restore.execute', Role.Owner],
    ['schedules', Role.Owner],
    ['audit-log', Role.Owner],
    ['tenant', Role.Owner],
    ['cancel-own-run', Role.Operator],
    ['cancel-any-run', Role.Owner],
  ];
  const ranked = [Role.Reader, Role.Operator, Role.Owner];

  it.each(cases)('%s needs at least %s', (action, least) => {
    expect(ranked.map((role) => may(role, action))).toEqual(ranked.map((role) => ranked.indexOf(role) >= ranked.indexOf(least)));
  });

  it('allows nothing while the role is unknown', () => {
    expect(may(undefined, 'drift.check')).toBe(false);
  });
});

describe('isDirectoryAdmin', () => {
  it('is the directory role admin only', () => {
    expect([isDirectoryAdmin('admin'), isDirectoryAdmin(null), isDirectoryAdmin(undefined)]).toEqual([true, false, false]);
  });
});
