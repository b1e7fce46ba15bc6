// The admin UI's MSP pages in a real browser (Debian's Chromium through Playwright) against the real stack:
// the gateway serving the built UI, run-service, the capture and restore workers, and the Graph emulator as
// both Microsoft Graph and Entra's authority (verified domains, consent, tokens). An MSP administrator
// onboards a tenant and manages its access and members; the fleet dashboard sorts, filters and starts a drift
// check in two tenants; a drift report shows a changed policy's fields; a reader is offered no such action.
import type { Browser, Page } from '@playwright/test';
import { RunStatus, RunType, TenantRole } from '@policyvault/contracts';
import { requiredApplicationPermissions } from '@policyvault/graph';
import { startGraphEmulator, type RunningGraphEmulator } from '@policyvault/graph-emulator';
import { CONTOSO, FABRIKAM, gatewayRuns, graphEmulatorEnv, startStack, waitFor, type Stack } from '@policyvault/testing';
import { expectAccessible, launchBrowser, openSession, screenshot, signIn } from './admin-ui/browser-session.js';

const ADMIN = 'admin@msp.test';
const NORTHWIND = { directoryId: 'a0c1e2f3-0000-4000-8000-00000000ab01', domain: 'northwind.example' };
const MISSING = 'DeviceManagementApps.ReadWrite.All';
const TAILSPIN = 'a0c1e2f3-0000-4000-8000-00000000ab02';

describe('the admin UI’s MSP pages in a browser', () => {
  let emulator: RunningGraphEmulator;
  let stack: Stack;
  let browser: Browser;
  let adminToken: string;

  async function api<T>(method: string, path: string, body?: object): Promise<{ status: number; body: T }> {
    const response = await fetch(`${stack.gatewayUrl}${path}`, {
      method,
      headers: { authorization: `Bearer ${adminToken}`, ...(body ? { 'content-type': 'application/json' } : {}) },
      body: body ? JSON.stringify(body) : undefined,
    });
    const text = await response.text();
    return { status: response.status, body: (text ? JSON.parse(text) : {}) as T };
  }

  /** A Mantine Select: open it by its label, pick the option. */
  async function choose(page: Page, label: string, option: string): Promise<void> {
    await page.getByRole('combobox', { name: label, exact: true }).click();
    await page.getByRole('option', { name: option, exact: true }).click();
  }

  const roleOf = (page: Page, email: string) => page.getByRole('combobox', { name: `Role of ${email}` }).inputValue();
  const tenantLinks = (page: Page) => page.getByRole('table').first().getByRole('row').locator('td:nth-child(2) a');

  beforeAll(async () => {
    emulator = await startGraphEmulator({ port: 0, seedDemoTenants: false });
    emulator.admin.resetTenant(CONTOSO.directoryId, { displayName: 'Contoso', seed: { policiesPerType: 0, counts: { deviceConfiguration: 3 } } });
    emulator.admin.resetTenant(FABRIKAM.directoryId, { displayName: 'Fabrikam', seed: { policiesPerType: 0, counts: { deviceConfiguration: 2 } } });
    // Northwind: a customer directory that has verified its domain but not consented to the MSP's app yet.
    emulator.admin.resetTenant(NORTHWIND.directoryId, { displayName: 'Northwind', seed: false, consent: false });
    emulator.admin.verifyDomain(NORTHWIND.directoryId, NORTHWIND.domain);
    [stack, browser] = await Promise.all([
      startStack({
        services: ['run-service', 'capture-worker', 'restore-worker', 'gateway'],
        env: { ...graphEmulatorEnv(emulator.url), ADMIN_CONSENT_REDIRECT_URI: 'https://msp.example/consented' },
      }),
      launchBrowser(),
    ]);
    adminToken = await stack.token(ADMIN);
    // A baseline backup in both demo tenants (a drift check compares with the latest one); Fabrikam tagged "gold".
    const runs = gatewayRuns(stack.gatewayUrl, adminToken);
    for (const tenantId of [CONTOSO.id, FABRIKAM.id]) {
      const { reply } = await runs.start(tenantId, { type: RunType.BackupSetCreate, target: { name: 'Baseline' }, scope: { policyTypes: ['deviceConfiguration'] } });
      expect((await runs.waitUntilTerminal(tenantId, reply.run.id)).status).toBe(RunStatus.Succeeded);
    }
    expect((await api('PATCH', `/api/tenants/${FABRIKAM.id}`, { tags: ['gold'] })).status).toBe(200);
  }, 180_000);

  afterAll(async () => {
    await browser?.close();
    await stack?.close();
    await emulator?.close();
  });

  it('an administrator onboards a tenant by domain, verifies its access until it is OK, manages its members and removes it', async () => {
    const { page, close } = await openSession(browser);
    await signIn(page, stack.gatewayUrl, ADMIN);
    await page.getByRole('banner').getByRole('link', { name: 'Fleet' }).click();
    await page.getByRole('heading', { name: 'Fleet' }).waitFor();

    await page.getByRole('button', { name: 'Add tenant' }).click();
    const dialog = page.getByRole('dialog', { name: 'Add a customer tenant' });
    await dialog.getByRole('textbox', { name: 'Verified domain' }).fill(NORTHWIND.domain);
    await dialog.getByRole('textbox', { name: 'Name' }).fill('Northwind');
    await dialog.getByLabel('Tags').fill('silver');
    await dialog.getByLabel('Tags').press('Enter');
    await expectAccessible(page, 'the add tenant dialog');
    await dialog.getByRole('button', { name: 'Add tenant' }).click();
    await dialog.getByText('Northwind was added').waitFor();
    const consent = new URL((await dialog.getByRole('link', { name: /adminconsent/ }).getAttribute('href')) ?? '');
    expect(`${consent.origin}${consent.pathname}`).toBe(`${emulator.url}/${NORTHWIND.directoryId}/adminconsent`);
    await dialog.getByRole('link', { name: 'Open the settings of Northwind' }).click();

    await page.waitForURL(/\/tenants\/[0-9a-f-]{36}\/settings$/);
    const tenantId = /\/tenants\/([0-9a-f-]{36})\//.exec(page.url())![1];
    await page.getByRole('heading', { name: 'Tenant settings' }).waitFor();
    const health = page.getByTestId('tenant-health');
    // The access check onboarding started: no consent yet.
    await health.getByText('No consent').waitFor();

    // The customer's administrator consents, without one permission: the check names it.
    emulator.admin.grantConsent(NORTHWIND.directoryId, requiredApplicationPermissions().filter((permission) => permission !== MISSING));
    await page.getByRole('button', { name: 'Verify access' }).click();
    await health.getByText('Missing permissions').waitFor();
    await page.getByRole('list', { name: 'Missing permissions' }).getByText(MISSING).waitFor();
    emulator.admin.grantConsent(NORTHWIND.directoryId, requiredApplicationPermissions());
    await page.getByRole('button', { name: 'Verify access' }).click();
    await health.getByText('OK', { exact: true }).waitFor();
    expect(await page.getByRole('list', { name: 'Missing permissions' }).count()).toBe(0);
    expect((await api<{ health: { status: string } }>('GET', `/api/tenants/${tenantId}`)).body.health.status).toBe('ok');
    await expectAccessible(page, 'the tenant settings page');
    await screenshot(page, 'tenant-admin');

    // Members: add by email, change the role; the last owner cannot be demoted (the API's 409, shown as its message).
    const members = page.getByRole('region', { name: 'Members' });
    await members.getByRole('textbox', { name: 'Email' }).fill('colleague@msp.test');
    await members.getByRole('button', { name: 'Add member' }).click();
    await members.getByRole('cell', { name: 'colleague@msp.test', exact: true }).waitFor();
    await choose(page, 'Role of colleague@msp.test', 'Owner');
    await waitFor(() => roleOf(page, 'colleague@msp.test'), (role) => role === 'Owner', { what: 'the new role shown' });
    await choose(page, 'Role of colleague@msp.test', 'Reader');
    await members.getByRole('alert').getByText('the last owner of a tenant cannot be removed or demoted').waitFor();
    type MemberList = { items: { email: string; role: string }[] };
    expect((await api<MemberList>('GET', `/api/tenants/${tenantId}/members`)).body.items).toEqual([expect.objectContaining({ email: 'colleague@msp.test', role: TenantRole.Owner })]);
    await members.getByRole('textbox', { name: 'Email' }).fill('helpdesk@msp.test');
    await members.getByRole('button', { name: 'Add member' }).click();
    await members.getByRole('cell', { name: 'helpdesk@msp.test', exact: true }).waitFor();
    await choose(page, 'Role of helpdesk@msp.test', 'Operator');
    await waitFor(() => roleOf(page, 'helpdesk@msp.test'), (role) => role === 'Operator', { what: 'the new role shown' });
    const listed = (await api<MemberList>('GET', `/api/tenants/${tenantId}/members`)).body.items;
    expect(listed.find((member) => member.email === 'helpdesk@msp.test')?.role).toBe(TenantRole.Operator);
    await expectAccessible(page, 'the members section');
    await members.scrollIntoViewIfNeeded();
    await screenshot(page, 'members');

    // Removal: typed confirmation; the tenant is disabled and its data kept.
    await page.getByRole('button', { name: 'Remove tenant' }).click();
    const confirm = page.getByRole('dialog', { name: 'Remove Northwind?' });
    await expect(confirm.getByRole('button', { name: 'Remove tenant' }).isDisabled()).resolves.toBe(true);
    await confirm.getByRole('textbox', { name: 'Tenant name' }).fill('Northwind');
    await confirm.getByRole('button', { name: 'Remove tenant' }).click();
    await page.getByText('This tenant was removed').waitFor();
    expect((await api<{ disabledAt: string | null }>('GET', `/api/tenants/${tenantId}`)).body.disabledAt).toEqual(expect.any(String));
    await close();
  });

  it('an administrator onboards tenants from a CSV and sees the result of each line', async () => {
    const { page, close } = await openSession(browser);
    await signIn(page, stack.gatewayUrl, ADMIN, '/fleet');
    await page.getByRole('button', { name: 'Import CSV' }).click();
    const dialog = page.getByRole('dialog', { name: 'Add tenants from a CSV' });
    await dialog.getByRole('textbox', { name: 'CSV' }).fill(`directoryId,domain,displayName,tags\n${TAILSPIN},,Tailspin,bronze\n${CONTOSO.directoryId},,Contoso again,\n`);
    await expectAccessible(page, 'the CSV onboarding dialog');
    await dialog.getByRole('button', { name: 'Add tenants' }).click();
    await dialog.getByText('1 added, 1 failed').waitFor();
    const rows = dialog.getByRole('row');
    await rows.filter({ hasText: 'Tailspin' }).getByRole('link', { name: /adminconsent/ }).waitFor();
    await rows.filter({ hasText: `a tenant with directory id ${CONTOSO.directoryId} exists` }).getByText('error 409').waitFor();
    await expectAccessible(page, 'the CSV onboarding results');
    await dialog.getByRole('button', { name: 'Done' }).click();
    await dialog.waitFor({ state: 'detached' });
    await page.getByRole('link', { name: 'Tailspin', exact: true }).waitFor();
    await close();
  });

  it('the fleet dashboard sorts and filters in the URL and checks drift in two selected tenants until the batch is done', async () => {
    const { page, close } = await openSession(browser);
    await signIn(page, stack.gatewayUrl, ADMIN, '/fleet');
    await page.getByRole('heading', { name: 'Fleet' }).waitFor();
    await page.getByRole('link', { name: 'Contoso', exact: true }).waitFor();
    const byName = await tenantLinks(page).allTextContents();
    expect(byName).toEqual(expect.arrayContaining(['Contoso', 'Fabrikam']));

    await page.getByRole('button', { name: 'Tenant', exact: true }).click();
    await page.waitForURL(/sort=-name/);
    await page.getByRole('columnheader', { name: 'Tenant' }).and(page.locator('[aria-sort="descending"]')).waitFor();
    await waitFor(() => tenantLinks(page).first().textContent(), (first) => first === byName[byName.length - 1], { what: 'the reversed order' });
    expect(await tenantLinks(page).allTextContents()).toEqual([...byName].reverse());

    await page.getByRole('textbox', { name: 'Tag' }).fill('gold');
    await page.waitForURL(/tag=gold/);
    await page.getByRole('link', { name: 'Contoso', exact: true }).waitFor({ state: 'detached' });
    expect(await tenantLinks(page).allTextContents()).toEqual(['Fabrikam']);
    // The filtered, sorted view is a link: it survives a reload.
    await page.reload();
    await page.getByRole('link', { name: 'Fabrikam', exact: true }).waitFor();
    expect(await page.getByRole('textbox', { name: 'Tag' }).inputValue()).toBe('gold');
    await page.getByRole('textbox', { name: 'Tag' }).fill('');
    await page.getByRole('link', { name: 'Contoso', exact: true }).waitFor();

    await page.getByRole('checkbox', { name: 'Select Contoso' }).check();
    await page.getByRole('checkbox', { name: 'Select Fabrikam' }).check();
    await page.getByText('2 selected').waitFor();
    await page.getByRole('button', { name: 'Check drift' }).click();
    const dialog = page.getByRole('dialog', { name: 'Check drift in 2 tenants?' });
    await expectAccessible(page, 'the fleet run confirmation');
    await dialog.getByRole('button', { name: 'Check drift' }).click();

    await page.waitForURL(/batch=[0-9a-f-]{36}/);
    const batch = page.getByRole('region', { name: 'Drift check in 2 tenants' });
    await batch.locator('[data-testid="batch-progress"][data-percent="100"]').waitFor({ timeout: 60_000 });
    await batch.getByText('Done: 2 of 2 finished').waitFor();
    await batch.getByText('2 succeeded').waitFor();
    expect(await batch.getByRole('link', { name: 'View run' }).count()).toBe(2);
    // Done: the overview is read again and links each tenant's new report.
    await page.getByRole('link', { name: 'Drift report of Contoso' }).waitFor();
    await page.getByRole('link', { name: 'Drift report of Fabrikam' }).waitFor();
    await expectAccessible(page, 'the fleet dashboard');
    await screenshot(page, 'fleet');
    await close();
  });

  it('a drift report shows a policy changed in the portal field by field, baseline before and live after', async () => {
    const [policy] = emulator.admin.listObjects(CONTOSO.directoryId, 'deviceConfiguration')!;
    emulator.admin.patchObject(CONTOSO.directoryId, 'deviceConfiguration', String(policy.id), { description: 'changed in the portal' });
    const { page, close } = await openSession(browser);
    await signIn(page, stack.gatewayUrl, 'operator@contoso.test', `/tenants/${CONTOSO.id}/drift-reports`);
    await page.getByRole('heading', { name: 'Drift' }).waitFor();
    await page.getByRole('button', { name: 'Check drift now' }).click();
    const report = page.getByRole('row').filter({ hasText: '1 changed' }).first();
    await report.waitFor({ timeout: 60_000 });
    await expectAccessible(page, 'the drift reports page');
    await report.getByRole('link').first().click();

    await page.getByRole('heading', { name: 'Drift report' }).waitFor();
    const item = page.getByRole('article', { name: String(policy.displayName) });
    await item.getByText(`${String(policy.displayName)}: 1 field differs`).waitFor();
    const cells = await item.getByRole('row').nth(1).getByRole('cell').allTextContents();
    expect(cells[0]).toMatch(/^description/);
    expect(cells.slice(1)).toEqual([policy.description === undefined ? '—' : String(policy.description), 'changed in the portal']);
    expect(await item.getByRole('columnheader').allTextContents()).toEqual(['Field', 'Baseline', 'Live']);
    // Only what changed, in the URL.
    await page.locator('label').filter({ hasText: /^Changed \(1\)$/ }).click();
    await page.waitForURL(/status=changed/);
    await waitFor(() => page.getByRole('article').count(), (count) => count === 1, { what: 'only the changed policy' });
    await item.waitFor();
    await expectAccessible(page, 'the drift report page');
    await screenshot(page, 'drift-report');
    await close();
  });

  it('a reader sees reports and the fleet, but no action, and the settings page is the 403 state', async () => {
    const { page, close } = await openSession(browser);
    await signIn(page, stack.gatewayUrl, 'reader@contoso.test', `/tenants/${CONTOSO.id}/drift-reports`);
    await page.getByRole('heading', { name: 'Drift' }).waitFor();
    await page.getByRole('table').or(page.getByText('No drift reports')).first().waitFor();
    expect(await page.getByRole('button', { name: 'Check drift now' }).count()).toBe(0);
    const navigation = page.getByRole('navigation', { name: 'Tenant pages' });
    await navigation.getByRole('link', { name: 'Drift' }).waitFor();
    expect(await navigation.getByRole('link', { name: 'Settings' }).count()).toBe(0);
    // One tenant: no fleet link; the page itself shows their one tenant and offers nothing to start.
    expect(await page.getByRole('banner').getByRole('link', { name: 'Fleet' }).count()).toBe(0);
    await expectAccessible(page, 'the drift reports page of a reader');

    await page.goto(`${stack.gatewayUrl}/fleet`);
    await page.getByRole('link', { name: 'Contoso', exact: true }).waitFor();
    for (const action of ['Add tenant', 'Import CSV', 'Check drift', 'Start backup']) expect(await page.getByRole('button', { name: action }).count()).toBe(0);
    expect(await page.getByRole('checkbox').count()).toBe(0);
    await expectAccessible(page, 'the fleet dashboard of a reader');

    await page.goto(`${stack.gatewayUrl}/tenants/${CONTOSO.id}/settings`);
    await page.getByRole('heading', { name: 'You do not have access' }).waitFor();
    expect(await page.getByRole('button', { name: 'Verify access' }).count()).toBe(0);
    await expectAccessible(page, 'the settings page of a reader');
    await close();
  });
});
