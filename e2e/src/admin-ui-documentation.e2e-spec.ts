// The as-built documentation from the admin UI in a real browser (Debian's Chromium through Playwright) against
// the real stack and the Graph emulator: a reader opens a complete set, chooses Documentation → HTML (by
// keyboard) and → Markdown (by mouse), and the browser downloads each report named after the set, listing
// every policy, with every settings catalog setting named by its definition (no bare definition id left).
import { readFileSync } from 'node:fs';
import type { Browser } from '@playwright/test';
import { RunStatus, RunType } from '@policyvault/contracts';
import { startGraphEmulator, type RunningGraphEmulator } from '@policyvault/graph-emulator';
import { CONTOSO, gatewayRuns, graphEmulatorEnv, startStack, type Stack } from '@policyvault/testing';
import { expectAccessible, launchBrowser, openSession, screenshot, signIn } from './admin-ui/browser-session.js';

describe('backup set documentation in the admin UI (browser)', () => {
  let emulator: RunningGraphEmulator;
  let stack: Stack;
  let browser: Browser;
  let backupSetId: string;
  let names: string[];

  beforeAll(async () => {
    emulator = await startGraphEmulator({ port: 0, seedDemoTenants: false });
    emulator.admin.resetTenant(CONTOSO.directoryId, { displayName: 'Contoso', seed: { policiesPerType: 0, counts: { deviceConfiguration: 2, settingsCatalogPolicy: 2 } } });
    [stack, browser] = await Promise.all([startStack({ services: ['run-service', 'capture-worker', 'gateway'], env: graphEmulatorEnv(emulator.url) }), launchBrowser()]);
    const runs = gatewayRuns(stack.gatewayUrl, await stack.token('operator@contoso.test'));
    const { reply } = await runs.start(CONTOSO.id, { type: RunType.BackupSetCreate, target: { name: 'Customer handover' }, scope: { policyTypes: ['deviceConfiguration', 'settingsCatalogPolicy'] } });
    const run = await runs.waitUntilTerminal(CONTOSO.id, reply.run.id);
    expect(run).toMatchObject({ status: RunStatus.Succeeded, counts: { total: 4, succeeded: 4 } });
    backupSetId = String(run.summary?.backupSetId);
    names = [...(emulator.admin.listObjects(CONTOSO.directoryId, 'deviceConfiguration') ?? []), ...(emulator.admin.listObjects(CONTOSO.directoryId, 'settingsCatalogPolicy') ?? [])].map((object) =>
      String(object.displayName ?? object.name),
    );
  }, 180_000);

  afterAll(async () => {
    await browser?.close();
    await stack?.close();
    await emulator?.close();
  });

  it('lets a reader download the set’s documentation as HTML and as Markdown', async () => {
    const { page, close } = await openSession(browser);
    try {
      await signIn(page, stack.gatewayUrl, 'reader@contoso.test', `/tenants/${CONTOSO.id}/backup-sets/${backupSetId}`);
      await page.getByRole('heading', { name: 'Customer handover' }).waitFor();
      await page.getByRole('button', { name: 'Documentation' }).focus();
      await page.keyboard.press('Enter');
      await page.getByRole('menuitem', { name: /Documentation \(HTML\)/ }).waitFor();
      await expect(page.getByRole('menuitem', { name: /Documentation \(Markdown\)/ }).isVisible()).resolves.toBe(true);
      await expectAccessible(page, 'the backup set page with its documentation menu open');
      await screenshot(page, 'backup-set-documentation');
      const [html] = await Promise.all([page.waitForEvent('download'), page.keyboard.press('Enter')]);
      expect(html.suggestedFilename()).toMatch(/^Customer handover-\d{4}-\d{2}-\d{2}-as-built\.html$/);
      const htmlText = readFileSync((await html.path())!, 'utf8');
      expect(htmlText).toMatch(/^<!doctype html>/);
      await page.getByText('Documentation downloaded').first().waitFor();

      await page.getByRole('button', { name: 'Documentation' }).click();
      const [markdown] = await Promise.all([page.waitForEvent('download'), page.getByRole('menuitem', { name: /Documentation \(Markdown\)/ }).click()]);
      expect(markdown.suggestedFilename()).toMatch(/^Customer handover-\d{4}-\d{2}-\d{2}-as-built\.md$/);
      const markdownText = readFileSync((await markdown.path())!, 'utf8');
      for (const [text, contents] of [
        [htmlText, '<h2>Contents</h2>'],
        [markdownText, '## Contents'],
      ]) {
        expect(text).toContain(contents);
        for (const name of names) expect(text).toContain(name);
        // Every settings catalog setting is named by its definition: no bare definition id is left in the report.
        expect(text).not.toContain('device_vendor_msft_policy_config_');
      }
    } finally {
      await close();
    }
  });
});
