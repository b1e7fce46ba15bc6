// The admin UI in a real browser (Debian's Chromium through Playwright) against the real stack: the built
// UI served by the gateway, every service started from dist/, the Graph emulator. Each test reads like an
// operator's session, selects by role and label, runs axe on what it shows and saves a screenshot
// (docs/screenshots/, shown in the README).
import { randomUUID } from 'node:crypto';
import type { Browser, Page } from '@playwright/test';
import { RunType } from '@policyvault/contracts';
import { startGraphEmulator, type RunningGraphEmulator } from '@policyvault/graph-emulator';
import { CONTOSO, FABRIKAM, gatewayRuns, graphEmulatorEnv, startStack, waitFor, type Stack } from '@policyvault/testing';
import { expectAccessible, launchBrowser, openSession, screenshot, signIn, waitForRunStatus } from './admin-ui/browser-session.js';

describe('the admin UI in a browser', () => {
  let emulator: RunningGraphEmulator;
  let stack: Stack;
  let browser: Browser;

  beforeAll(async () => {
    emulator = await startGraphEmulator({ port: 0, seedDemoTenants: false });
    emulator.admin.resetTenant(CONTOSO.directoryId, { displayName: 'Contoso', seed: { policiesPerType: 0, counts: { deviceConfiguration: 12, deviceCompliancePolicy: 4 } } });
    emulator.admin.resetTenant(FABRIKAM.directoryId, { displayName: 'Fabrikam', seed: { policiesPerType: 0, counts: {} } });
    [stack, browser] = await Promise.all([
      startStack({ services: ['run-service', 'capture-worker', 'notifier', 'gateway'], env: graphEmulatorEnv(emulator.url) }),
      launchBrowser(),
    ]);
  }, 180_000);

  afterAll(async () => {
    await browser?.close();
    await stack?.close();
    await emulator?.close();
  });

  const runStatus = (page: Page) => page.getByTestId('run-status');

  it('signs an owner in with the development sign-in and lands on the runs of their tenant', async () => {
    const { page, close } = await openSession(browser);
    await page.goto(`${stack.gatewayUrl}/`);
    await page.getByRole('heading', { name: 'Sign in to PolicyVault' }).waitFor();
    await page.getByRole('button', { name: 'Sign in as reader@contoso.test' }).waitFor();
    await expectAccessible(page, 'the sign-in page');
    await screenshot(page, 'sign-in');

    await page.getByRole('button', { name: 'Sign in as owner@contoso.test' }).click();
    await page.waitForURL(`**/tenants/${CONTOSO.id}/runs`);
    await page.getByRole('heading', { name: 'Runs' }).waitFor();
    expect(await page.getByRole('combobox', { name: 'Tenant' }).inputValue()).toBe('Contoso');
    await page.getByText('Nothing has run in this tenant yet.').waitFor();
    await expectAccessible(page, 'the empty runs page');

    // A deep link survives a reload; a 401 (a token the gateway no longer accepts) goes back to sign-in.
    await page.reload();
    await page.getByRole('heading', { name: 'Runs' }).waitFor();
    const expired = JSON.stringify({ mode: 'development', email: 'owner@contoso.test', token: 'expired' });
    await page.evaluate(`sessionStorage.setItem('policyvault.session', ${JSON.stringify(expired)})`);
    await page.reload();
    await page.waitForURL(/\/sign-in\?redirect=/);
    await close();
  });

  it('syncs the inventory, creates a backup set: its progress bar moves to 100 % live and the notification arrives', async () => {
    const { page, close } = await openSession(browser);
    await signIn(page, stack.gatewayUrl, 'owner@contoso.test');
    await page.getByRole('button', { name: 'Sync inventory' }).click();
    await page.getByText('Inventory sync started').waitFor();
    await page.getByRole('link', { name: 'Inventory sync' }).first().click();
    await waitForRunStatus(page, 'succeeded');

    await page.getByRole('link', { name: 'Inventory' }).click();
    const deviceRestrictions = page.getByRole('cell', { name: /^Device restrictions/ }).first();
    await deviceRestrictions.waitFor();
    await page.getByRole('textbox', { name: 'Search by name' }).fill('Custom OMA-URI');
    await page.waitForURL(/search=Custom/);
    await deviceRestrictions.waitFor({ state: 'detached' });
    await page.getByRole('cell', { name: /^Custom OMA-URI/ }).first().waitFor();
    await expectAccessible(page, 'the inventory page');
    await screenshot(page, 'inventory');

    await page.getByRole('link', { name: 'Backup sets' }).click();
    await page.getByText('No backup sets').waitFor();
    await page.getByRole('button', { name: 'Create backup set' }).click();
    const dialog = page.getByRole('dialog', { name: 'Create a backup set' });
    await dialog.getByRole('textbox', { name: 'Name' }).fill('Before the change');
    await expectAccessible(page, 'the create backup set dialog');
    await dialog.getByRole('button', { name: 'Start backup' }).click();

    // The run page, live: never reloaded, the SSE stream moves the bar and the status.
    await page.waitForURL(/\/runs\/[0-9a-f-]{36}$/);
    await page.getByRole('heading', { name: 'Backup set' }).waitFor();
    await page.getByRole('progressbar', { name: 'Run progress' }).waitFor();
    await page.locator('[data-testid="run-progress"][data-percent="100"]').waitFor();
    await waitForRunStatus(page, 'succeeded');
    await page.getByRole('cell', { name: 'succeeded' }).first().waitFor();
    const bell = page.getByRole('button', { name: /^Notifications: [1-9]\d* unread$/ });
    await bell.waitFor();
    await expectAccessible(page, 'the run page');
    await screenshot(page, 'run-detail');

    await bell.click();
    const notification = page.getByRole('listitem').filter({ hasText: 'Backup set' }).first();
    await notification.waitFor();
    await expectAccessible(page, 'the notifications list');
    await screenshot(page, 'notifications');
    await page.getByRole('button', { name: 'Mark all read' }).click();
    await page.getByRole('button', { name: 'Notifications: 0 unread' }).waitFor();
    await page.keyboard.press('Escape');

    await page.getByRole('link', { name: 'Backup sets' }).click();
    await page.getByRole('link', { name: 'Before the change' }).click();
    await page.getByRole('heading', { name: 'Before the change' }).waitFor();
    await page.getByRole('cell', { name: 'deviceConfiguration' }).first().waitFor();
    await expectAccessible(page, 'the backup set page');
    await screenshot(page, 'backup-set');
    await close();
  }, 180_000);

  it('filters the runs list by status and type, in the URL (a link that survives reload)', async () => {
    const { page, close } = await openSession(browser);
    await signIn(page, stack.gatewayUrl, 'owner@contoso.test', `/tenants/${CONTOSO.id}/runs?status=failed`);
    await page.getByText('No run matches these filters.').waitFor();
    await page.goto(`${stack.gatewayUrl}/tenants/${CONTOSO.id}/runs?status=succeeded&type=inventory.sync`);
    await page.getByRole('link', { name: 'Inventory sync' }).first().waitFor();
    expect(await page.getByRole('combobox', { name: 'Status' }).inputValue()).toBe('succeeded');
    await screenshot(page, 'runs');

    // Who started them and when: the owner's runs of the last hour are listed, nobody else's.
    await page.getByRole('textbox', { name: 'Started by' }).fill('OWNER@contoso.test');
    await page.waitForURL(/initiator=OWNER/);
    await page.getByRole('link', { name: 'Inventory sync' }).first().waitFor();
    await page.getByRole('combobox', { name: 'Queued' }).click();
    await page.getByRole('option', { name: 'Last hour' }).click();
    await page.waitForURL(/period=1h/);
    await page.getByRole('link', { name: 'Inventory sync' }).first().waitFor();
    await page.getByRole('textbox', { name: 'Started by' }).fill('reader@contoso.test');
    await page.getByText('No run matches these filters.').waitFor();
    await page.reload();
    expect(await page.getByRole('textbox', { name: 'Started by' }).inputValue()).toBe('reader@contoso.test');
    await page.getByText('No run matches these filters.').waitFor();
    await expectAccessible(page, 'the filtered runs page');
    await close();
  });

  it('shows a reader no actions, and the 403 state at a tenant they are not a member of', async () => {
    const { page, close } = await openSession(browser);
    await signIn(page, stack.gatewayUrl, 'reader@contoso.test');
    await page.getByRole('link', { name: 'Inventory sync' }).first().waitFor();
    expect(await page.getByRole('button', { name: 'Sync inventory' }).count()).toBe(0);
    await page.getByRole('link', { name: 'Inventory sync' }).first().click();
    await runStatus(page).waitFor();
    expect(await page.getByRole('button', { name: 'Cancel run' }).count()).toBe(0);

    await page.goto(`${stack.gatewayUrl}/tenants/${FABRIKAM.id}/runs`);
    await page.getByRole('heading', { name: 'You do not have access' }).waitFor();
    await expectAccessible(page, 'the 403 state');
    await screenshot(page, 'forbidden');
    await close();
  });

  it('cancels a running backup from its run page, after confirming', async () => {
    // Contoso's Graph held: the backup is still running when the operator gets to cancel it, whatever the host's pace.
    const runs = gatewayRuns(stack.gatewayUrl, await stack.token('operator@contoso.test'));
    const { page, close } = await openSession(browser);
    const release = emulator.admin.holdRequests(CONTOSO.directoryId);
    let runId = '';
    try {
      const { reply } = await runs.start(CONTOSO.id, { type: RunType.BackupSetCreate, target: { name: 'To be canceled' }, scope: { policyTypes: ['deviceConfiguration'] } });
      runId = reply.run.id;
      await signIn(page, stack.gatewayUrl, 'operator@contoso.test', `/tenants/${CONTOSO.id}/runs/${runId}`);
      await runStatus(page).getByText(/queued|running/).waitFor();
      // The header widget shows the active run too.
      await page.getByRole('button', { name: 'Active runs: 1' }).waitFor();
      await page.getByRole('button', { name: 'Cancel run' }).click();
      const dialog = page.getByRole('dialog', { name: 'Cancel this run?' });
      await dialog.waitFor();
      await expectAccessible(page, 'the cancel confirmation');
      await dialog.getByRole('button', { name: 'Cancel run' }).click();
      // The cancel is recorded before Graph answers again: the run cannot end any other way.
      await waitFor(() => runs.get(CONTOSO.id, runId), (run) => run.cancelRequested, { what: 'the cancel requested on the server' });
    } finally {
      release();
    }
    await waitForRunStatus(page, 'canceled');
    await page.getByRole('button', { name: 'Active runs: 0' }).waitFor();
    await screenshot(page, 'run-canceled');
    await waitFor(() => runs.get(CONTOSO.id, runId), (run) => run.status === 'canceled', { what: 'the run canceled on the server' });
    await close();
  }, 180_000);

  it('is usable at 390 px wide in the dark theme', async () => {
    const { page, close } = await openSession(browser, { width: 390, height: 844, colorScheme: 'dark' });
    await signIn(page, stack.gatewayUrl, 'owner@contoso.test');
    await page.getByRole('link', { name: 'Inventory sync' }).first().waitFor();
    await page.getByRole('button', { name: 'Toggle navigation' }).click();
    await page.getByRole('navigation', { name: 'Tenant pages' }).getByRole('link', { name: 'Runs' }).click();
    // The navigation slides away (off screen, so Playwright still calls it visible): wait for the burger to close.
    await page.getByRole('button', { name: 'Toggle navigation' }).locator('[data-opened]').waitFor({ state: 'detached' });
    await page.waitForTimeout(400);
    const overflow = await page.evaluate<number>('document.documentElement.scrollWidth - document.documentElement.clientWidth');
    expect(overflow).toBeLessThanOrEqual(0);
    await expectAccessible(page, 'the runs page, narrow and dark');
    await screenshot(page, 'runs-mobile-dark');

    // The account menu, opened from the keyboard, and signing out from it.
    await page.getByRole('button', { name: /^Account: / }).focus();
    await page.keyboard.press('Enter');
    await page.getByRole('menuitem', { name: 'Sign out' }).waitFor();
    await expectAccessible(page, 'the open account menu');
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { name: 'Sign in to PolicyVault' }).waitFor();
    await close();
  });

  it('an administrator of several tenants gets ONE live stream for all of them, and a run in any of them moves live', async () => {
    // Several tenants: Contoso, Fabrikam and three onboarded here (their access checks end first: unknown directories).
    const adminToken = await stack.token('admin@msp.test');
    const runs = gatewayRuns(stack.gatewayUrl, adminToken);
    for (const name of ['Adatum', 'Litware', 'Proseware']) {
      const response = await fetch(`${stack.gatewayUrl}/api/tenants`, {
        method: 'POST',
        headers: { authorization: `Bearer ${adminToken}`, 'content-type': 'application/json' },
        body: JSON.stringify({ directoryId: randomUUID(), displayName: name }),
      });
      expect(response.status).toBe(201);
      const { tenant, accessCheckRun } = (await response.json()) as { tenant: { id: string }; accessCheckRun: { id: string } | null };
      if (accessCheckRun) await runs.waitUntilTerminal(tenant.id, accessCheckRun.id);
    }

    const { page, close } = await openSession(browser);
    const streams: string[] = [];
    page.on('request', (request) => {
      const { pathname } = new URL(request.url());
      if (pathname.endsWith('/events') && pathname.startsWith('/api/')) streams.push(pathname);
    });
    await signIn(page, stack.gatewayUrl, 'admin@msp.test');
    const tenant = page.getByRole('banner').getByRole('combobox', { name: 'Tenant' });
    await tenant.click();
    expect(await page.getByRole('option').count()).toBeGreaterThanOrEqual(5);
    await page.getByRole('option', { name: 'Fabrikam', exact: true }).click();
    await page.waitForURL(`**/tenants/${FABRIKAM.id}/runs`);

    // Fabrikam's Graph held: the run is still going when its page shows (whatever the host's pace), and moves there
    // live once released.
    const releaseFabrikam = emulator.admin.holdRequests(FABRIKAM.directoryId);
    try {
      await page.getByRole('button', { name: 'Sync inventory' }).click();
      await page.getByText('Inventory sync started').waitFor();
      await page.getByRole('button', { name: /^Active runs: [1-9]/ }).waitFor();
      await page.getByRole('link', { name: 'Inventory sync' }).first().click();
      await page.waitForURL(/\/runs\/[0-9a-f-]{36}$/);
      await runStatus(page).getByText(/queued|running/).waitFor();
    } finally {
      releaseFabrikam();
    }
    await waitForRunStatus(page, 'succeeded');
    await page.getByRole('button', { name: 'Active runs: 0' }).waitFor();

    // A run in another tenant, started elsewhere, reaches the same stream: the widget shows it, then its end.
    const releaseContoso = emulator.admin.holdRequests(CONTOSO.directoryId);
    let contosoRunId = '';
    try {
      const { reply } = await runs.start(CONTOSO.id, { type: RunType.InventorySync, target: {}, scope: {} });
      contosoRunId = reply.run.id;
      await page.getByRole('button', { name: 'Active runs: 1' }).click();
      await page.getByRole('link', { name: 'Inventory sync in Contoso' }).waitFor();
      await expectAccessible(page, 'the active runs of every tenant');
    } finally {
      releaseContoso();
    }
    await runs.waitUntilTerminal(CONTOSO.id, contosoRunId, { timeoutMs: 60_000 });
    await page.getByText('No runs are queued or running.').waitFor();

    expect(streams).toEqual(['/api/runs/events']);
    await close();
  }, 180_000);
});
