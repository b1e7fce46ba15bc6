// The restore wizard and the policy detail page in a real browser (Debian's Chromium through Playwright)
// against the real stack with the restore-worker: a backup, then one policy changed and one deleted in the
// Graph emulator; the operator picks both, previews, confirms by typing the tenant's name and restores, and
// the emulator holds the backed-up policies again. The policy page compares two captures and a capture with
// live. axe on every step, screenshots for the README.
import type { Browser, Page } from '@playwright/test';
import { RunStatus, RunType, TenantRole } from '@policyvault/contracts';
import { startGraphEmulator, type RunningGraphEmulator } from '@policyvault/graph-emulator';
import { CONTOSO, FABRIKAM, gatewayRuns, graphEmulatorEnv, startStack, type GatewayRuns, type Stack } from '@policyvault/testing';
import { expectAccessible, launchBrowser, openSession, screenshot, signIn, waitForRunOutcome, waitForRunStatus } from './admin-ui/browser-session.js';

type GraphObject = Record<string, unknown>;
const POLICY_TYPE = 'deviceConfiguration';
/** The preview run the wizard's URL names, as a gateway path (what a failed wait reports). */
const previewRunPath = (page: Page, tenantId: string) => `/tenants/${tenantId}/runs/${new URL(page.url()).searchParams.get('preview')}`;

describe('the restore wizard and the policy detail page in a browser', () => {
  let emulator: RunningGraphEmulator;
  let stack: Stack;
  let browser: Browser;
  let runs: GatewayRuns;
  let backupSetId: string;
  /** The policies as the backup kept them. */
  let backedUp: GraphObject[];

  const objects = (): GraphObject[] => emulator.admin.listObjects(CONTOSO.directoryId, POLICY_TYPE)!;
  const liveById = (id: unknown) => emulator.admin.getObject(CONTOSO.directoryId, POLICY_TYPE, String(id));

  beforeAll(async () => {
    emulator = await startGraphEmulator({ port: 0, seedDemoTenants: false });
    emulator.admin.resetTenant(CONTOSO.directoryId, { displayName: 'Contoso', seed: { policiesPerType: 0, counts: { [POLICY_TYPE]: 4 } } });
    emulator.admin.resetTenant(FABRIKAM.directoryId, { displayName: 'Fabrikam', seed: { policiesPerType: 0, counts: {} } });
    [stack, browser] = await Promise.all([
      startStack({ services: ['run-service', 'capture-worker', 'restore-worker', 'notifier', 'gateway'], env: graphEmulatorEnv(emulator.url) }),
      launchBrowser(),
    ]);
    runs = gatewayRuns(stack.gatewayUrl, await stack.token('operator@contoso.test'));
    const sync = await runs.start(CONTOSO.id, { type: RunType.InventorySync, target: {}, scope: {} });
    expect(await runs.waitUntilTerminal(CONTOSO.id, sync.reply.run.id)).toMatchObject({ status: RunStatus.Succeeded });
    const backup = await runs.start(CONTOSO.id, { type: RunType.BackupSetCreate, target: { name: 'Before the change' }, scope: { policyTypes: [POLICY_TYPE], includeFoundations: false } });
    const done = await runs.waitUntilTerminal(CONTOSO.id, backup.reply.run.id);
    expect(done).toMatchObject({ status: RunStatus.Succeeded, counts: { total: 4, succeeded: 4 } });
    backupSetId = String(done.summary?.backupSetId);
    backedUp = structuredClone(objects());
  }, 180_000);

  afterAll(async () => {
    await browser?.close();
    await stack?.close();
    await emulator?.close();
  });

  it('restores a changed and a deleted policy: pick and search, preview with the field diff, confirm by typing the name, live progress, results', async () => {
    const [, changed, deleted] = backedUp;
    const changedName = String(changed.displayName);
    const deletedName = String(deleted.displayName);
    emulator.admin.patchObject(CONTOSO.directoryId, POLICY_TYPE, String(changed.id), { description: 'changed in the portal' });
    emulator.admin.deleteObject(CONTOSO.directoryId, POLICY_TYPE, String(deleted.id));
    expect(liveById(deleted.id)).toBeUndefined();

    const { page, close } = await openSession(browser);
    await signIn(page, stack.gatewayUrl, 'owner@contoso.test', `/tenants/${CONTOSO.id}/backup-sets/${backupSetId}`);
    await page.getByRole('heading', { name: 'Before the change' }).waitFor();
    await page.getByRole('link', { name: 'Restore…' }).click();

    // Choose: pick the two policies through the search, restore into this tenant.
    await page.getByRole('heading', { name: 'Restore Before the change' }).waitFor();
    await page.getByRole('radio', { name: 'All 4 items' }).waitFor();
    expect(await page.getByRole('combobox', { name: 'Restore into' }).inputValue()).toBe('Contoso (this tenant)');
    await page.getByRole('radio', { name: 'Pick items' }).check();
    await page.getByRole('textbox', { name: 'Search items' }).fill(changedName);
    await page.getByRole('checkbox', { name: deletedName, exact: true }).waitFor({ state: 'detached' });
    expect(await page.getByRole('checkbox').count()).toBe(1);
    await page.getByRole('checkbox', { name: changedName, exact: true }).check();
    await page.getByRole('textbox', { name: 'Search items' }).fill('');
    await page.getByRole('checkbox', { name: deletedName, exact: true }).check();
    await page.getByText('2 of 4 selected').waitFor();
    await expectAccessible(page, 'the restore wizard: choose');
    await page.getByRole('button', { name: 'Preview restore' }).click();

    // Preview: computed live, then per item; the changed one's diff has the backup on the left, live on the right.
    await page.waitForURL(/preview=[0-9a-f-]{36}/);
    const changedItem = page.getByRole('button', { name: `${changedName}: update` });
    await waitForRunOutcome(page, changedItem, previewRunPath(page, CONTOSO.id), 90_000);
    await page.getByRole('button', { name: `${deletedName}: create` }).waitFor();
    expect(await page.getByRole('button', { name: /: (update|create|no change|skipped|ambiguous)$/ }).count()).toBe(2);
    // The wizard's state is its URL: a reload comes back to the preview.
    await page.reload();
    await changedItem.click();
    const descriptionRow = page.getByRole('row').filter({ has: page.getByText('description', { exact: true }) });
    await descriptionRow.waitFor();
    expect(await descriptionRow.getByRole('cell').nth(2).textContent()).toBe('changed in the portal');
    expect(await descriptionRow.getByRole('cell').nth(1).textContent()).toBe(changed.description === undefined ? '—' : String(changed.description));
    await expectAccessible(page, 'the restore wizard: preview');
    await screenshot(page, 'restore-preview');

    // Confirm: only the tenant's exact name enables the restore.
    await page.getByRole('button', { name: 'Continue to confirm' }).click();
    const typed = page.getByRole('textbox', { name: "Type the tenant's name, Contoso, to confirm" });
    await typed.fill('contoso');
    expect(await page.getByRole('button', { name: 'Restore now' }).isDisabled()).toBe(true);
    await typed.fill('Contoso');
    await expectAccessible(page, 'the restore wizard: confirm');
    await page.getByRole('button', { name: 'Restore now' }).click();

    // Live progress, then the results per item.
    await page.waitForURL(/restore=[0-9a-f-]{36}/);
    await page.getByRole('heading', { name: 'Restore results' }).waitFor({ timeout: 60_000 });
    await waitForRunStatus(page, 'succeeded');
    await page.locator('[data-testid="run-progress"][data-percent="100"]').waitFor();
    await page.getByRole('row').filter({ hasText: changedName }).getByRole('cell', { name: 'updated' }).waitFor();
    await page.getByRole('row').filter({ hasText: deletedName }).getByRole('cell', { name: 'created' }).waitFor();
    await expectAccessible(page, 'the restore wizard: results');
    await screenshot(page, 'restore-results');
    await close();

    // In Graph: the deleted policy exists again (a new object with its name), the changed one has its backed-up value again.
    const recreated = objects().filter((object) => object.displayName === deletedName);
    expect(recreated).toHaveLength(1);
    expect(recreated[0]['@odata.type']).toBe(deleted['@odata.type']);
    expect(liveById(changed.id)?.description).toEqual(changed.description);
  }, 240_000);

  it('compares two captures of a policy and a capture with live on its page', async () => {
    const policy = backedUp[3];
    const name = String(policy.displayName);
    const { page, close } = await openSession(browser);
    await signIn(page, stack.gatewayUrl, 'operator@contoso.test', `/tenants/${CONTOSO.id}/inventory?search=${encodeURIComponent(name)}`);
    await page.getByRole('link', { name, exact: true }).click();
    await page.getByRole('heading', { name, exact: true }).waitFor();
    // The backup captured version 1: nothing to compare yet.
    await page.getByRole('cell', { name: 'Version 1' }).waitFor();
    await page.getByText('Nothing to compare yet').waitFor();

    emulator.admin.patchObject(CONTOSO.directoryId, POLICY_TYPE, String(policy.id), { description: 'second capture' });
    await page.getByRole('button', { name: 'Capture now' }).click();
    await page.getByText('Captured: Version 2 is new.').waitFor({ timeout: 60_000 });
    const descriptionRow = page.getByRole('row').filter({ has: page.getByText('description', { exact: true }) });
    await descriptionRow.waitFor();
    expect(await page.getByRole('columnheader').filter({ hasText: /^Version \d$/ }).allTextContents()).toEqual(['Version 1', 'Version 2']);
    expect(await descriptionRow.getByRole('cell').nth(2).textContent()).toBe('second capture');
    await expectAccessible(page, 'the policy page with two versions compared');
    await screenshot(page, 'policy-versions');

    // Against live: the page starts a capture and shows the diff once it has ended.
    emulator.admin.patchObject(CONTOSO.directoryId, POLICY_TYPE, String(policy.id), { description: 'changed since' });
    await page.getByRole('button', { name: 'Compare with live' }).click();
    await page.waitForURL(/to=run%3A|to=run:/);
    await page.getByRole('columnheader', { name: 'Live' }).waitFor({ timeout: 60_000 });
    const liveRow = page.getByRole('row').filter({ has: page.getByText('description', { exact: true }) });
    expect(await liveRow.getByRole('cell').nth(2).textContent()).toBe('changed since');
    await expectAccessible(page, 'the policy page compared with live');
    await close();
  }, 120_000);

  it('restores across tenants: an owner of both tenants previews into the other one and restores there', async () => {
    // An MSP administrator makes Contoso's owner an owner of Fabrikam too.
    const admin = await stack.token('admin@msp.test');
    const added = await fetch(`${stack.gatewayUrl}/api/tenants/${FABRIKAM.id}/members`, {
      method: 'POST',
      headers: { authorization: `Bearer ${admin}`, 'content-type': 'application/json' },
      body: JSON.stringify({ email: 'owner@contoso.test', role: TenantRole.Owner }),
    });
    expect(added.status).toBe(201);
    const names = backedUp.map((object) => String(object.displayName)).sort();
    expect(emulator.admin.listObjects(FABRIKAM.directoryId, POLICY_TYPE) ?? []).toEqual([]);
    const contosoBefore = structuredClone(objects());

    const { page, close } = await openSession(browser);
    await signIn(page, stack.gatewayUrl, 'owner@contoso.test', `/tenants/${CONTOSO.id}/backup-sets/${backupSetId}/restore`);
    await page.getByRole('radio', { name: 'All 4 items' }).waitFor();
    await page.getByRole('combobox', { name: 'Restore into' }).click();
    await page.getByRole('option', { name: 'Fabrikam' }).click();
    await page.waitForURL(new RegExp(`target=${FABRIKAM.id}`));
    await page.getByText('of Contoso into Fabrikam (another tenant).').waitFor();
    await page.getByRole('button', { name: 'Preview restore' }).click();

    // Nothing of the set exists in Fabrikam: every item is a create there.
    await page.waitForURL(/preview=[0-9a-f-]{36}/);
    for (const name of names) await waitForRunOutcome(page, page.getByRole('button', { name: `${name}: create` }), previewRunPath(page, FABRIKAM.id));
    await expectAccessible(page, 'the cross-tenant preview');
    await page.getByRole('button', { name: 'Continue to confirm' }).click();
    await page.getByRole('textbox', { name: "Type the tenant's name, Fabrikam, to confirm" }).fill('Fabrikam');
    await page.getByRole('button', { name: 'Restore now' }).click();
    await page.getByRole('heading', { name: 'Restore results' }).waitFor({ timeout: 60_000 });
    await page.locator('[data-testid="run-progress"][data-percent="100"]').waitFor({ timeout: 60_000 });
    await close();

    // In Fabrikam's Graph: the four policies, by name; Contoso's are untouched.
    const inFabrikam = emulator.admin.listObjects(FABRIKAM.directoryId, POLICY_TYPE) ?? [];
    expect(inFabrikam.map((object) => String(object.displayName)).sort()).toEqual(names);
    expect(objects()).toEqual(contosoBefore);
  }, 180_000);

  it('offers a reader no restore, and shows the 403 state at the wizard’s URL', async () => {
    const { page, close } = await openSession(browser);
    await signIn(page, stack.gatewayUrl, 'reader@contoso.test', `/tenants/${CONTOSO.id}/backup-sets/${backupSetId}`);
    await page.getByRole('heading', { name: 'Before the change' }).waitFor();
    await page.getByRole('cell', { name: POLICY_TYPE }).first().waitFor();
    expect(await page.getByRole('link', { name: 'Restore…' }).count()).toBe(0);
    expect(await page.getByRole('button', { name: /Restore/ }).count()).toBe(0);
    await page.goto(`${stack.gatewayUrl}/tenants/${CONTOSO.id}/backup-sets/${backupSetId}/restore`);
    await page.getByRole('heading', { name: 'You do not have access' }).waitFor();
    await expectAccessible(page, 'the restore wizard for a reader');
    await close();
  });

  it('keeps the wizard usable at 390 px wide in the dark theme', async () => {
    const { page, close } = await openSession(browser, { width: 390, height: 844, colorScheme: 'dark' });
    await signIn(page, stack.gatewayUrl, 'owner@contoso.test', `/tenants/${CONTOSO.id}/backup-sets/${backupSetId}/restore`);
    await page.getByRole('heading', { name: 'Restore Before the change' }).waitFor();
    await page.getByRole('radio', { name: 'Pick items' }).check();
    await page.getByRole('checkbox').first().waitFor();
    const overflow = await page.evaluate<number>('document.documentElement.scrollWidth - document.documentElement.clientWidth');
    expect(overflow).toBeLessThanOrEqual(0);
    await expectAccessible(page, 'the restore wizard, narrow and dark');
    await close();
  });
});
