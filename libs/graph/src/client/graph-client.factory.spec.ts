import { SafeErrorCode } from '@policyvault/contracts';
import { TenantUnavailableError } from '../errors/graph-error.js';
import { GraphClientFactory } from './graph-client.factory.js';

describe('GraphClientFactory', () => {
  it('keeps a bounded map of tenants and shuts down the breaker of the evicted one', async () => {
    const factory = new GraphClientFactory({
      credentials: { clientId: 'app', clientSecret: 'unused' },
      graphBaseUrl: 'http://127.0.0.1:9',
      maxTenants: 2,
      tokenProviderFor: () => ({ getToken: async () => 'token' }),
    });
    const first = factory.forTenant('tenant-a');
    factory.forTenant('tenant-b');
    factory.forTenant('tenant-c');
    expect(factory.tenantCount).toBe(2);
    // The evicted tenant's breaker is shut down: its old client fails fast without sending anything.
    await expect(first.get('/beta/deviceManagement/deviceConfigurations')).rejects.toBeInstanceOf(TenantUnavailableError);
    await expect(first.get('/beta/x')).rejects.toMatchObject({ code: SafeErrorCode.TenantUnavailable });
    factory.close();
  });

  it('refuses tenant ids that could change the authority URL', () => {
    const factory = new GraphClientFactory({ credentials: { clientId: 'app', clientSecret: 's' } });
    expect(() => factory.forTenant('../common')).toThrow(TypeError);
    factory.close();
  });
});
