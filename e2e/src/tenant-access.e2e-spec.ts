// The tenant access check end to end (issue 12): gateway → run-service → JetStream → capture-worker → the
// emulator's token endpoint, whose consent per (app, tenant) decides what the token's `roles` carry.
import { readFileSync } from 'node:fs';
import { DEMO_GRAPH_APP, RunStatus, RunType, TenantAccessHealth, type RunItemView, type RunView } from '@policyvault/contracts';
import { ALL_EMULATED_PERMISSIONS, startGraphEmulator, type RunningGraphEmulator } from '@policyvault/graph-emulator';
import { listPolicyTypes, missingPermissions, requiredApplicationPermissions } from '@policyvault/graph';
import { CONTOSO, FABRIKAM, gatewayRuns, graphEmulatorEnv, startStack, type GatewayRuns, type Stack } from '@policyvault/testing';

const ACCESS_CHECK = { type: RunType.TenantVerifyAccess, target: {}, scope: {} };
const POLICY_TYPES = listPolicyTypes({ includeFoundations: true });
/** A JWT (header and payload are base64url JSON objects: `eyJ…`). */
const JWT = /eyJ[A-Za-z0-9_-]{5,}\.eyJ[A-Za-z0-9_-]{5,}/;

describe('tenant.verify_access: the app’s consent and permissions in a tenant', () => {
  let emulator: RunningGraphEmulator;
  let stack: Stack;
  let runs: GatewayRuns;
  const seen: Array<{ run: RunView; items: RunItemView[] }> = [];

  beforeAll(async () => {
    emulator = await startGraphEmulator({ port: 0, seedDemoTenants: false });
    // Contoso is known to the directory, but no admin consented to the MSP's app there yet.
    emulator.admin.resetTenant(CONTOSO.directoryId, { displayName: 'Contoso', seed: { policiesPerType: 0 }, consent: false });
    stack = await startStack({ services: ['run-service', 'gateway', 'capture-worker'], env: graphEmulatorEnv(emulator.url) });
    runs = gatewayRuns(stack.gatewayUrl, await stack.token('owner@contoso.test'));
  }, 180_000);

  afterAll(async () => {
    await stack?.close();
    await emulator?.close();
  });

  async function check(tenantId: string): Promise<{ run: RunView; items: RunItemView[] }> {
    const { httpStatus, reply } = await runs.start(tenantId, ACCESS_CHECK);
    expect(httpStatus).toBe(202);
    const run = await runs.waitUntilTerminal(tenantId, reply.run.id);
    const result = { run, items: await runs.items(tenantId, run.id) };
    seen.push(result);
    return result;
  }

  it('the emulator’s default consent covers every permission the registry asks for', () => {
    expect(missingPermissions(requiredApplicationPermissions(), ALL_EMULATED_PERMISSIONS)).toEqual([]);
  });

  it('before consent: no_consent, no items, the run succeeds', async () => {
    const { run, items } = await check(CONTOSO.id);
    expect(run).toMatchObject({ status: RunStatus.Succeeded, summary: { health: TenantAccessHealth.NoConsent, missingPermissions: [], grantedPermissions: [] } });
    expect(items).toEqual([]);
    const tokenRequests = emulator.journal.list({ tenant: CONTOSO.directoryId, kind: 'token' });
    expect(tokenRequests.map((entry) => entry.status)).toEqual([401]);
  });

  it('after an admin grants every permission the registry needs: ok, one succeeded item per policy type', async () => {
    emulator.admin.grantConsent(CONTOSO.directoryId, requiredApplicationPermissions());
    const { run, items } = await check(CONTOSO.id);
    expect(run).toMatchObject({
      status: RunStatus.Succeeded,
      counts: { total: POLICY_TYPES.length, succeeded: POLICY_TYPES.length, failed: 0 },
      summary: { health: TenantAccessHealth.Ok, missingPermissions: [], grantedPermissions: requiredApplicationPermissions() },
    });
    expect(items.map((item) => item.itemKey).sort()).toEqual(POLICY_TYPES.map((type) => `type:${type}`).sort());
    expect(items.find((item) => item.itemKey === 'type:remediationScript')).toMatchObject({
      status: 'succeeded',
      outcome: 'ok',
      result: { policyType: 'remediationScript', permissions: expect.arrayContaining(['DeviceManagementScripts.ReadWrite.All', 'Group.Read.All']) },
    });
  });

  it('with one permission missing: missing_permissions naming it, only the types that need it fail', async () => {
    const withoutApps = requiredApplicationPermissions().filter((permission) => permission !== 'DeviceManagementApps.ReadWrite.All');
    emulator.admin.grantConsent(CONTOSO.directoryId, withoutApps);
    const { run, items } = await check(CONTOSO.id);
    // Every type of the DeviceManagementApps family (policy sets read their app members' names with it).
    const appTypes = [
      'appConfigurationPolicy',
      'appProtectionPolicy',
      'brandingProfile',
      'managedAppConfiguration',
      'mdmWindowsInformationProtectionPolicy',
      'mobileApp',
      'mobileAppCategory',
      'policySet',
      'windowsInformationProtectionPolicy',
    ];
    expect(run).toMatchObject({
      status: RunStatus.Partial,
      counts: { total: POLICY_TYPES.length, succeeded: POLICY_TYPES.length - appTypes.length, failed: appTypes.length },
      summary: { health: TenantAccessHealth.MissingPermissions, missingPermissions: ['DeviceManagementApps.ReadWrite.All'], grantedPermissions: withoutApps },
    });
    const failed = items.filter((item) => item.status === 'failed');
    expect(failed.map((item) => item.itemKey).sort()).toEqual(appTypes.map((type) => `type:${type}`));
    expect(failed[0]).toMatchObject({
      outcome: 'missing_permissions',
      error: { code: 'missing_permissions', context: { missingPermissions: 'DeviceManagementApps.ReadWrite.All' } },
      result: { missingPermissions: ['DeviceManagementApps.ReadWrite.All'] },
    });
  });

  it('a read-only grant misses the write permissions (reading is not restoring)', async () => {
    emulator.admin.grantConsent(CONTOSO.directoryId, requiredApplicationPermissions().map((permission) => permission.replace('.ReadWrite.All', '.Read.All')));
    const { run } = await check(CONTOSO.id);
    expect(run.summary).toMatchObject({ health: TenantAccessHealth.MissingPermissions });
    expect(run.summary?.missingPermissions).toEqual(requiredApplicationPermissions().filter((permission) => permission.endsWith('.ReadWrite.All')));
  });

  it('a revoked consent is no_consent again (the check never reuses a cached token)', async () => {
    emulator.admin.revokeConsent(CONTOSO.directoryId);
    const { run } = await check(CONTOSO.id);
    expect(run.summary).toMatchObject({ health: TenantAccessHealth.NoConsent });
  });

  it('a directory the authority does not know: unreachable, at once (a definitive answer is not retried)', async () => {
    // Fabrikam's directory id is not a tenant of this emulator: its token request answers AADSTS90002.
    const fabrikamOwner = gatewayRuns(stack.gatewayUrl, await stack.token('owner@fabrikam.test'));
    const { reply } = await fabrikamOwner.start(FABRIKAM.id, ACCESS_CHECK);
    const run = await fabrikamOwner.waitUntilTerminal(FABRIKAM.id, reply.run.id);
    seen.push({ run, items: await fabrikamOwner.items(FABRIKAM.id, run.id) });
    expect(run).toMatchObject({ status: RunStatus.Succeeded, summary: { health: TenantAccessHealth.Unreachable, missingPermissions: [], grantedPermissions: [] } });
    expect(emulator.journal.list({ tenant: FABRIKAM.directoryId, kind: 'token' }).map((entry) => entry.status)).toEqual([400]);
  });

  it('no token or secret in runs, items, summaries or the services’ logs', () => {
    expect(seen.length).toBeGreaterThanOrEqual(5);
    const reported = JSON.stringify(seen);
    const logs = stack.services.map((service) => readFileSync(service.logFile, 'utf8')).join('\n');
    expect(logs).toContain('access checked');
    for (const text of [reported, logs]) {
      expect(text).not.toMatch(JWT);
      expect(text).not.toContain(DEMO_GRAPH_APP.clientSecret);
    }
  });
});
