// Importing a backup from the admin UI in a real browser (Debian's Chromium through Playwright) against the real
// stack: an operator opens the backup sets page, chooses Import, uploads a zip in IntuneCD's layout, lands on the
// run page and sees it succeed; then picks a folder in IntuneManagement's layout (zipped in the browser with fflate),
// one file of which cannot be read, and the run ends partial; both sets are listed with their items.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser } from '@playwright/test';
import { strToU8, zipSync } from 'fflate';
import { startGraphEmulator, type RunningGraphEmulator } from '@policyvault/graph-emulator';
import { CONTOSO, graphEmulatorEnv, startStack, type Stack } from '@policyvault/testing';
import { expectAccessible, launchBrowser, openSession, screenshot, signIn, waitForRunStatus } from './admin-ui/browser-session.js';

const json = (value: object) => strToU8(JSON.stringify(value, null, 2));

describe('backup import in the admin UI (browser)', () => {
  let emulator: RunningGraphEmulator;
  let stack: Stack;
  let browser: Browser;
  let folder: string;

  beforeAll(async () => {
    emulator = await startGraphEmulator({ port: 0, seedDemoTenants: false });
    emulator.admin.resetTenant(CONTOSO.directoryId, { displayName: 'Contoso', seed: { policiesPerType: 0, counts: {} } });
    [stack, browser] = await Promise.all([startStack({ services: ['run-service', 'capture-worker', 'gateway'], env: graphEmulatorEnv(emulator.url) }), launchBrowser()]);
    // A folder as IntuneManagement leaves it on disk (UTF-16 LE with a BOM), with one broken file.
    folder = mkdtempSync(join(tmpdir(), 'pv-import-ui-'));
    const write = (path: string, bytes: Uint8Array) => {
      mkdirSync(join(folder, path, '..'), { recursive: true });
      writeFileSync(join(folder, path), bytes);
    };
    const utf16 = (value: object) => Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(JSON.stringify(value), 'utf16le')]);
    write('Intune/DeviceConfiguration/Kiosk.json', utf16({ '@odata.type': '#microsoft.graph.windows10GeneralConfiguration', id: 'ui-1', displayName: 'Kiosk' }));
    write('Intune/SettingsCatalog/Defender.json', utf16({ id: 'ui-2', name: 'Defender', platforms: 'windows10', technologies: 'mdm', settings: [] }));
    write('Intune/DeviceConfiguration/Broken.json', strToU8('{"displayName":'));
  }, 180_000);

  afterAll(async () => {
    rmSync(folder, { recursive: true, force: true });
    await browser?.close();
    await stack?.close();
    await emulator?.close();
  });

  it('uploads a zip and a folder from the backup sets page and follows each run to its end', async () => {
    const { page, close } = await openSession(browser);
    try {
      await signIn(page, stack.gatewayUrl, 'operator@contoso.test', `/tenants/${CONTOSO.id}/backup-sets`);
      await page.getByRole('heading', { name: 'Backup sets' }).waitFor();
      await page.getByRole('button', { name: 'Import' }).click();
      const dialog = page.getByRole('dialog', { name: 'Import a backup' });
      await dialog.waitFor();
      await dialog.getByLabel('Backup set name').fill('From IntuneCD');
      const archive = zipSync({
        'backup/Device Configurations/Edge.json': json({ '@odata.type': '#microsoft.graph.windows10GeneralConfiguration', displayName: 'Edge' }),
        'backup/Filters/Windows 11.yaml': strToU8("'@odata.type': '#microsoft.graph.deviceAndAppManagementAssignmentFilter'\ndisplayName: Windows 11\nplatform: windows10AndLater\nrule: (device.osVersion -startsWith \"10.0.22\")\n"),
      });
      await page.locator('input[type="file"]').setInputFiles({ name: 'intunecd.zip', mimeType: 'application/zip', buffer: Buffer.from(archive) });
      await expectAccessible(page, 'the import dialog');
      await screenshot(page, 'backup-set-import');
      await dialog.getByRole('button', { name: 'Upload and import' }).click();
      await page.waitForURL(/\/runs\/[0-9a-f-]{36}$/);
      await waitForRunStatus(page, 'succeeded');

      await page.goto(`${stack.gatewayUrl}/tenants/${CONTOSO.id}/backup-sets`);
      await page.getByRole('button', { name: 'Import' }).click();
      await dialog.getByLabel('Backup set name').fill('From a folder');
      await dialog.getByText('Folder', { exact: true }).first().click();
      await dialog.locator('#import-folder').setInputFiles(join(folder, 'Intune'));
      await dialog.getByText('3 files; zipped in the browser before the upload.').waitFor();
      await dialog.getByRole('button', { name: 'Upload and import' }).click();
      await page.waitForURL(/\/runs\/[0-9a-f-]{36}$/);
      await waitForRunStatus(page, 'partial');
      await page.getByText('The file is not valid JSON.').first().waitFor();

      await page.goto(`${stack.gatewayUrl}/tenants/${CONTOSO.id}/backup-sets`);
      const row = (name: string) => page.getByRole('row').filter({ has: page.getByRole('link', { name }) });
      await row('From IntuneCD').getByRole('cell', { name: '2', exact: true }).waitFor();
      await row('From a folder').getByRole('cell', { name: '2', exact: true }).waitFor();
    } finally {
      await close();
    }
  }, 180_000);
});
