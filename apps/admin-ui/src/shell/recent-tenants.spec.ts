import { tenantOptions } from './recent-tenants';

const tenants = [
  { id: 'f', displayName: 'Fabrikam' },
  { id: 'c', displayName: 'Contoso' },
  { id: 'n', displayName: 'Northwind' },
];

describe('the tenant switcher options', () => {
  it('lists recent tenants first (most recent first), then the others by name, none twice', () => {
    expect(tenantOptions(tenants, ['n', 'f'])).toEqual([
      { group: 'Recent', items: [{ value: 'n', label: 'Northwind' }, { value: 'f', label: 'Fabrikam' }] },
      { group: 'All tenants', items: [{ value: 'c', label: 'Contoso' }] },
    ]);
  });

  it('forgets recent tenants the user is no longer a member of', () => {
    expect(tenantOptions(tenants, ['gone'])).toEqual([
      { group: 'Tenants', items: [{ value: 'c', label: 'Contoso' }, { value: 'f', label: 'Fabrikam' }, { value: 'n', label: 'Northwind' }] },
    ]);
  });
});
