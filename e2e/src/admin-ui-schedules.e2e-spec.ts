// Schedules and the audit log of the admin UI in a real browser (Debian's Chromium through Playwright) against
// the real stack: gateway, run-service on a manual scheduler clock (nothing fires by itself; the test fires
// slots over BackupScheduleRpc.dispatch), capture-worker and the Graph emulator. The editor's next five run
// times come from run-service's scheduler; the history shows each run's outcome and what retention removed.
import type { Browser, Page } from '@playwright/test';
import { BackupScheduleRpc, type BackupScheduleView, type Page as ApiPage, type ScheduleRunView } from '@policyvault/contracts';
import { startGraphEmulator, type RunningGraphEmulator } from '@policyvault/graph-emulator';
import { CONTOSO, connectNatsRpc, graphEmulatorEnv, startStack, waitFor, type NatsRpc, type Stack } from '@policyvault/testing';
import { expectAccessible, launchBrowser, openSession, screenshot, signIn } from './admin-ui/browser-session.js';

const NAME = 'Twice a week in New York';

describe('schedules and the audit log in the admin UI (browser, manual scheduler clock)', () => {
  let emulator: RunningGraphEmulator;
  let stack: Stack;
  let browser: Browser;
  let rpc: NatsRpc;

  beforeAll(async () => {
    emulator = await startGraphEmulator({ port: 0, seedDemoTenants: false });
    emulator.admin.resetTenant(CONTOSO.directoryId, { displayName: 'Contoso', seed: { policiesPerType: 0, counts: { deviceConfiguration: 3 } } });
    [stack, browser] = await Promise.all([
      startStack({ services: ['run-service', 'capture-worker', 'gateway'], env: { ...graphEmulatorEnv(emulator.url), SCHEDULER_CLOCK: 'manual' } }),
      launchBrowser(),
    ]);
    rpc = await connectNatsRpc(stack.nats.namespace);
  }, 180_000);

  afterAll(async () => {
    await rpc?.close();
    await browser?.close();
    await stack?.close();
    await emulator?.close();
  });

  async function api<T>(path: string): Promise<T> {
    const response = await fetch(`${stack.gatewayUrl}/api/tenants/${CONTOSO.id}${path}`, { headers: { authorization: `Bearer ${await stack.token('owner@contoso.test')}` } });
    expect(response.status).toBe(200);
    return (await response.json()) as T;
  }

  /** The scheduler fires the schedule's next slot (the clock is manual); resolves once that run has ended. */
  async function fireNextSlot(scheduleId: string): Promise<void> {
    const schedule = await api<BackupScheduleView>(`/backup-schedules/${scheduleId}`);
    await rpc.request(BackupScheduleRpc.dispatch, { now: schedule.nextRunAt });
    await waitFor(
      () => api<ApiPage<ScheduleRunView>>(`/backup-schedules/${scheduleId}/runs`),
      (page) => page.items[0]?.slot === schedule.nextRunAt && ['succeeded', 'partial', 'failed'].includes(page.items[0].status),
      { timeoutMs: 60_000, what: `the run of the slot ${schedule.nextRunAt}` },
    );
  }

  const nextRuns = (page: Page) => page.getByRole('region', { name: 'Next five runs' });
  const fact = (page: Page, label: string) => page.locator('.mantine-Card-root').filter({ has: page.getByText(label, { exact: true }) });

  // Two backup runs (each waited for up to a minute) and four accessibility checks: jest's default minute ran out in a
  // fresh-clone CI run on a busy host (load ~10).
  it('lets an owner create a schedule seeing its next five run times, list it, pause it, edit it and read its history', async () => {
    const { page, close } = await openSession(browser);
    await signIn(page, stack.gatewayUrl, 'owner@contoso.test');
    await page.getByRole('navigation', { name: 'Tenant pages' }).getByRole('link', { name: 'Schedules' }).click();
    await page.getByRole('heading', { name: 'Schedules' }).waitFor();
    await page.getByText('No schedules').waitFor();
    await expectAccessible(page, 'the empty schedules page');

    await page.getByRole('button', { name: 'New schedule' }).click();
    const dialog = page.getByRole('dialog', { name: 'New schedule' });
    await dialog.getByRole('textbox', { name: 'Name' }).fill(NAME);
    // The default draft (daily, 02:00 in the user's zone) is previewed at once.
    await nextRuns(page).getByRole('columnheader', { name: 'Your time (Europe/Amsterdam)' }).waitFor();
    // Weekly without a day: the API's message, in the preview.
    await dialog.getByRole('radio', { name: 'Weekly' }).check();
    await nextRuns(page).getByRole('alert').getByText('daysOfWeek: a weekly schedule needs at least one day').waitFor();
    await dialog.getByRole('checkbox', { name: 'Mon' }).check();
    await dialog.getByRole('checkbox', { name: 'Thu' }).check();
    await dialog.getByLabel('Time of day').fill('23:15');
    await dialog.getByRole('combobox', { name: 'Time zone' }).click();
    await dialog.getByRole('combobox', { name: 'Time zone' }).fill('New_York');
    await page.getByRole('option', { name: 'America/New_York', exact: true }).click();
    await nextRuns(page).getByRole('columnheader', { name: 'Schedule time (America/New_York)' }).waitFor();
    const rows = nextRuns(page).getByRole('row');
    await rows.nth(5).waitFor();
    expect(await rows.count()).toBe(6);
    const scheduleTimes = await nextRuns(page).locator('tbody tr td:nth-child(2)').allTextContents();
    expect(scheduleTimes).toHaveLength(5);
    for (const time of scheduleTimes) expect(time).toMatch(/^(Mon|Thu).*23:15/);
    // New York is 5 or 6 hours behind Amsterdam: 23:15 there is 04:15 or 05:15 the next day here.
    for (const time of await nextRuns(page).locator('tbody tr td:nth-child(1)').allTextContents()) expect(time).toMatch(/^(Tue|Fri).*0[45]:15/);
    await dialog.getByRole('textbox', { name: 'Backup sets to keep' }).fill('1');
    await expectAccessible(page, 'the schedule editor');
    await screenshot(page, 'schedule-editor');
    await dialog.getByRole('button', { name: 'Create schedule' }).click();
    await dialog.waitFor({ state: 'detached' });

    const row = page.getByRole('row').filter({ has: page.getByRole('link', { name: NAME }) });
    await row.getByText('Weekly on Mon, Thu at 23:15').waitFor();
    await row.getByText('Enabled').waitFor();
    // Its next run, in the user's zone.
    expect(await row.getByRole('cell').nth(2).textContent()).toMatch(/\d{4}, 0[45]:15:00$/);
    await expectAccessible(page, 'the schedules page');
    await screenshot(page, 'schedules');

    await row.getByRole('link', { name: NAME }).click();
    await page.getByRole('heading', { name: NAME }).waitFor();
    // The saved schedule's next run is the preview's first time (the same scheduler code computed both).
    await fact(page, 'Next run').getByText(`(${scheduleTimes[0]} there)`, { exact: false }).waitFor();
    await page.getByText('No runs yet').waitFor();
    await page.getByRole('button', { name: 'Pause' }).click();
    await page.getByTestId('schedule-state').getByText('Paused').waitFor();
    await fact(page, 'Next run').getByText('None while paused').waitFor();

    await page.getByRole('button', { name: 'Edit' }).click();
    const editor = page.getByRole('dialog', { name: `Edit ${NAME}` });
    expect(await editor.getByRole('combobox', { name: 'Time zone' }).inputValue()).toBe('America/New_York');
    await editor.getByLabel('Time of day').fill('06:45');
    await nextRuns(page).locator('tbody tr td:nth-child(2)').first().getByText(/06:45/).waitFor();
    await editor.getByRole('button', { name: 'Save schedule' }).click();
    await editor.waitFor({ state: 'detached' });
    await fact(page, 'When').getByText('Weekly on Mon, Thu at 06:45').waitFor();
    await page.getByTestId('schedule-state').getByText('Paused').waitFor();
    await page.getByRole('button', { name: 'Resume' }).click();
    await page.getByTestId('schedule-state').getByText('Enabled').waitFor();

    // Two slots fire: each run backs the tenant up; keeping one set, the second run's retention removes the first's.
    const scheduleId = page.url().split('/schedules/')[1].split('?')[0];
    await fireNextSlot(scheduleId);
    await fireNextSlot(scheduleId);
    await page.reload();
    const history = page.getByRole('row').filter({ has: page.getByRole('link', { name: 'View run' }) });
    await history.nth(1).waitFor();
    expect(await history.count()).toBe(2);
    await history.first().getByText('succeeded').waitFor();
    await history.first().getByText('Kept the last 1, removed 1 older set').waitFor();
    await history.nth(1).getByText('removed by retention').waitFor();
    await history.first().getByRole('link', { name: 'Kept' }).waitFor();
    await expectAccessible(page, 'the schedule page with its history');
    await close();
  }, 180_000);

  it('shows a reader the schedules without any action, and no audit log', async () => {
    const { page, close } = await openSession(browser);
    await signIn(page, stack.gatewayUrl, 'reader@contoso.test', `/tenants/${CONTOSO.id}/schedules`);
    await page.getByRole('link', { name: NAME }).click();
    await page.getByRole('heading', { name: NAME }).waitFor();
    await page.getByRole('link', { name: 'View run' }).first().waitFor();
    for (const name of ['Edit', 'Pause', 'Resume', 'Delete']) expect(await page.getByRole('button', { name }).count()).toBe(0);
    await page.getByRole('navigation', { name: 'Tenant pages' }).getByRole('link', { name: 'Schedules' }).click();
    await page.getByRole('link', { name: NAME }).waitFor();
    expect(await page.getByRole('button', { name: 'New schedule' }).count()).toBe(0);
    expect(await page.getByRole('navigation', { name: 'Tenant pages' }).getByRole('link', { name: 'Audit log' }).count()).toBe(0);
    await page.goto(`${stack.gatewayUrl}/tenants/${CONTOSO.id}/audit-log`);
    await page.getByRole('heading', { name: 'You do not have access' }).waitFor();
    await close();
  });

  it('lets an owner read the audit log, filtered in the URL, each event with its run link; and delete a schedule after confirming', async () => {
    const { page, close } = await openSession(browser);
    await signIn(page, stack.gatewayUrl, 'owner@contoso.test');
    await page.getByRole('navigation', { name: 'Tenant pages' }).getByRole('link', { name: 'Audit log' }).click();
    await page.getByRole('heading', { name: 'Audit log' }).waitFor();
    for (const action of ['backup_schedule.created', 'backup_schedule.updated', 'backup_schedule.dispatched', 'backup_schedule.retention_applied']) {
      await page.getByRole('cell', { name: action, exact: true }).first().waitFor();
    }
    const created = page.getByRole('row').filter({ has: page.getByRole('cell', { name: 'backup_schedule.created', exact: true }) });
    await created.getByText('owner@contoso.test').waitFor();
    await created.getByRole('link', { name: `Schedule ${NAME}` }).waitFor();
    await expectAccessible(page, 'the audit log');
    await screenshot(page, 'audit-log');

    // A retention event's run link opens that run.
    const retention = page.getByRole('row').filter({ has: page.getByRole('cell', { name: 'backup_schedule.retention_applied', exact: true }) });
    await retention.first().getByRole('link', { name: 'View run' }).click();
    await page.waitForURL(/\/runs\/[0-9a-f-]{36}$/);
    await page.getByRole('heading', { name: 'Scheduled backup' }).waitFor();
    await page.goBack();

    // Filtered by the schedule, in the URL (survives reload).
    await page.getByRole('combobox', { name: 'Schedule' }).click();
    await page.getByRole('option', { name: NAME }).click();
    await page.waitForURL(/scheduleId=[0-9a-f-]{36}/);
    await page.reload();
    await page.getByRole('cell', { name: 'backup_schedule.created', exact: true }).waitFor();
    const scheduleFilter = page.getByRole('combobox', { name: 'Schedule' });
    await waitFor(() => scheduleFilter.inputValue(), (value) => value === NAME, { what: 'the schedule filter showing the schedule of the URL' });

    // Delete, confirmed; the deletion is audited.
    await page.getByRole('link', { name: `Schedule ${NAME}` }).first().click();
    await page.getByRole('button', { name: 'Delete' }).click();
    const confirm = page.getByRole('dialog', { name: `Delete ${NAME}?` });
    await confirm.waitFor();
    // Checked once it has faded in (axe would measure the contrast of a half-transparent button).
    await expectAccessible(page, 'the delete confirmation');
    await confirm.getByRole('button', { name: 'Delete schedule' }).click();
    await page.getByText('No schedules').waitFor();
    await page.getByRole('navigation', { name: 'Tenant pages' }).getByRole('link', { name: 'Audit log' }).click();
    await page.getByRole('cell', { name: 'backup_schedule.deleted', exact: true }).waitFor();
    await close();
  });
});
