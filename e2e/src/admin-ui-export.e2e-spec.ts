// Exporting a backup set from the admin UI in a real browser (Debian's Chromium through Playwright) against
// the real stack and the Graph emulator: a reader opens a complete set, chooses Export → "Leave secret values
// out", and the browser downloads a zip named after the set with the manifest and one file per item.
import { readFileSync } from 'node:fs';
import type { Browser } from '@playwright/test';
import { strFromU8, unzipSync } from 'fflate';
import { RunStatus, RunType } from '@policyvault/contracts';
import { startGraphEmulator, type RunningGraphEmulator } from '@policyvault/graph-emulator';
import { CONTOSO, gatewayRuns, graphEmulatorEnv, startStack, type Stack } from '@policyvault/testing';
import { expectAccessible, launchBrowser, openSession, screenshot, signIn } from './admin-ui/browser-session.js';

describe('backup set export in the admin UI (browser)', () => {
  let emulator: RunningGraphEmulator;
  let stack: Stack;
  let browser: Browser;
  let backupSetId: string;

  beforeAll(async () => {
    emulator = await startGraphEmulator({ port: 0, seedDemoTenants: false });
    emulator.admin.resetTenant(CONTOSO.directoryId, { displayName: 'Contoso', seed: { policiesPerType: 0, counts: { deviceConfiguration: 3, settingsCatalogPolicy: 2 } } });
    [stack, browser] = await Promise.all([startStack({ services: ['run-service', 'capture-worker', 'gateway'], env: graphEmulatorEnv(emulator.url) }), launchBrowser()]);
    const runs = gatewayRuns(stack.gatewayUrl, await stack.token('operator@contoso.test'));
    const { reply } = await runs.start(CONTOSO.id, {
      type: RunType.BackupSetCreate,
      target: { name: 'Quarterly audit' },
      scope: { policyTypes: ['deviceConfiguration', 'settingsCatalogPolicy'] },
    });
    const run = await runs.waitUntilTerminal(CONTOSO.id, reply.run.id);
    expect(run).toMatchObject({ status: RunStatus.Succeeded, counts: { total: 5, succeeded: 5 } });
    backupSetId = String(run.summary?.backupSetId);
  }, 180_000);

  afterAll(async () => {
    await browser?.close();
    await stack?.close();
    await emulator?.close();
  });

  it('lets a reader download a complete set as a zip with its manifest, choosing what happens to secret values', async () => {
    const { page, close } = await openSession(browser);
    try {
      await signIn(page, stack.gatewayUrl, 'reader@contoso.test', `/tenants/${CONTOSO.id}/backup-sets/${backupSetId}`);
      await page.getByRole('heading', { name: 'Quarterly audit' }).waitFor();
      // By keyboard, as an operator without a mouse: Enter opens the menu on its first choice, arrows move, Enter chooses.
      await page.getByRole('button', { name: 'Export' }).focus();
      await page.keyboard.press('Enter');
      const leaveOut = page.getByRole('menuitem', { name: /Leave secret values out/ });
      await leaveOut.waitFor();
      await expect(page.getByRole('menuitem', { name: /Keep secret values encrypted/ }).isVisible()).resolves.toBe(true);
      await expectAccessible(page, 'the backup set page with its export menu open');
      await screenshot(page, 'backup-set-export');

      const focused = () => page.evaluate(() => document.activeElement?.textContent);
      await expect(focused()).resolves.toMatch(/^Leave secret values out/);
      await page.keyboard.press('ArrowDown');
      await expect(focused()).resolves.toMatch(/^Keep secret values encrypted/);
      await page.keyboard.press('ArrowUp');
      await expect(focused()).resolves.toMatch(/^Leave secret values out/);
      const [download] = await Promise.all([page.waitForEvent('download'), page.keyboard.press('Enter')]);
      expect(download.suggestedFilename()).toMatch(/^Quarterly audit-\d{4}-\d{2}-\d{2}\.zip$/);
      const files = unzipSync(new Uint8Array(readFileSync((await download.path())!)));
      const manifest = JSON.parse(strFromU8(files['manifest.json'])) as { backupSet: { id: string }; secrets: { mode: string }; types: Record<string, { count: number }> };
      expect(manifest).toMatchObject({ backupSet: { id: backupSetId }, secrets: { mode: 'omit' }, types: { deviceConfiguration: { count: 3 }, settingsCatalogPolicy: { count: 2 } } });
      const folders = Object.keys(files).filter((path) => path !== 'manifest.json').map((path) => path.split('/')[0]);
      expect(folders.sort()).toEqual(['DeviceConfiguration', 'DeviceConfiguration', 'DeviceConfiguration', 'SettingsCatalog', 'SettingsCatalog']);
      await page.getByText('Export downloaded').waitFor();
    } finally {
      await close();
    }
  });
});
