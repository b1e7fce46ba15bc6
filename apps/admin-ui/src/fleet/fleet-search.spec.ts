import { fleetApiQuery, fleetSortState, hasFleetFilters, parseFleetSearch, toggleFleetSort } from './fleet-search';

describe('the fleet dashboard URL', () => {
  it('keeps what the API understands and drops the rest', () => {
    expect(
      parseFleetSearch({ sort: '-health', health: 'no_consent', drift: 'drifted', tag: ' gold ', noBackupDays: '7', cursor: 'abc', batch: '0F5C8A2E-1111-4222-8333-444455556666' }),
    ).toEqual({ sort: '-health', health: 'no_consent', drift: 'drifted', tag: 'gold', noBackupDays: 7, cursor: 'abc', batch: '0f5c8a2e-1111-4222-8333-444455556666' });
    expect(parseFleetSearch({ sort: 'size', health: 'bad', drift: 'maybe', tag: '  ', noBackupDays: '-1', cursor: '', batch: 'not-a-uuid' })).toEqual({
      sort: undefined,
      health: undefined,
      drift: undefined,
      tag: undefined,
      noBackupDays: undefined,
      cursor: undefined,
      batch: undefined,
    });
    // The default order is no parameter at all: /fleet and /fleet?sort=name are one view.
    expect(parseFleetSearch({ sort: 'name' }).sort).toBeUndefined();
    expect(parseFleetSearch({ noBackupDays: 1.5 }).noBackupDays).toBeUndefined();
    expect(parseFleetSearch({ health: 'unknown', drift: 'unknown' })).toMatchObject({ health: 'unknown', drift: 'unknown' });
  });

  it('maps "no good backup in N days" to the instant N days before now, and pages by 50', () => {
    const now = new Date('2026-12-01T12:00:00.000Z');
    expect(fleetApiQuery({ noBackupDays: 7, health: 'ok', sort: 'lastBackupAt' }, now)).toEqual({
      sort: 'lastBackupAt',
      health: 'ok',
      drift: undefined,
      tag: undefined,
      noSuccessfulBackupSince: '2026-11-24T12:00:00.000Z',
      cursor: undefined,
      limit: '50',
    });
    expect(fleetApiQuery({}, now).noSuccessfulBackupSince).toBeUndefined();
  });

  it('sorts by a clicked column ascending, a second click reverses it, and name ascending is the default', () => {
    expect(toggleFleetSort(undefined, 'health')).toBe('health');
    expect(toggleFleetSort('health', 'health')).toBe('-health');
    expect(toggleFleetSort('-health', 'health')).toBe('health');
    expect(toggleFleetSort('-health', 'lastBackupAt')).toBe('lastBackupAt');
    expect(toggleFleetSort(undefined, 'name')).toBe('-name');
    expect(toggleFleetSort('-name', 'name')).toBeUndefined();
  });

  it('tells each header how the table is ordered', () => {
    expect(fleetSortState(undefined, 'name')).toBe('ascending');
    expect(fleetSortState(undefined, 'health')).toBe('none');
    expect(fleetSortState('-lastFailedAt', 'lastFailedAt')).toBe('descending');
    expect(fleetSortState('-lastFailedAt', 'name')).toBe('none');
  });

  it('knows filtered from unfiltered (an empty filtered page is "no tenant matches")', () => {
    expect(hasFleetFilters({ sort: '-name', cursor: 'x', batch: 'y' })).toBe(false);
    expect(hasFleetFilters({ tag: 'gold' })).toBe(true);
    expect(hasFleetFilters({ noBackupDays: 30 })).toBe(true);
  });
});
