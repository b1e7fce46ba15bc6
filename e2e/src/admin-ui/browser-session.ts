// The admin UI's browser tests drive Debian's Chromium (the `chromium` package; .ci/run installs it) through
// Playwright: Playwright's own browser download is not used. A helper per thing an operator does, so that
// the tests read like a session: sign in, look, act, check with axe, keep a screenshot.
import { AxeBuilder } from '@axe-core/playwright';
import type { Browser, BrowserContext, Locator, Page } from '@playwright/test';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';

export { launchBrowser } from '@policyvault/testing';

export const SCREENSHOTS = join(process.cwd(), 'docs', 'screenshots');

export interface BrowserSession {
  context: BrowserContext;
  page: Page;
  close(): Promise<void>;
}

/** A fresh browser profile (nothing signed in), at a desktop size unless told otherwise. */
export async function openSession(browser: Browser, options: { width?: number; height?: number; colorScheme?: 'light' | 'dark' } = {}): Promise<BrowserSession> {
  const context = await browser.newContext({
    viewport: { width: options.width ?? 1280, height: options.height ?? 800 },
    colorScheme: options.colorScheme ?? 'light',
    timezoneId: 'Europe/Amsterdam',
    locale: 'en-GB',
  });
  const page = await context.newPage();
  page.setDefaultTimeout(20_000);
  return { context, page, close: () => context.close() };
}

/** The development sign-in page, as an operator uses it: pick the demo user. */
export async function signIn(page: Page, gatewayUrl: string, email: string, path = '/'): Promise<void> {
  await page.goto(`${gatewayUrl}${path}`);
  await page.getByRole('button', { name: `Sign in as ${email}` }).click();
  await page.getByRole('banner').getByRole('combobox', { name: 'Tenant' }).waitFor();
}

/**
 * axe-core on what the page shows now; serious and critical violations fail the test. Colours are checked as they end
 * up: a violation seen while something was still moving (a toast that slid in during the analysis, say) is checked
 * again once the page has settled, and only one that is still there fails.
 */
export async function expectAccessible(page: Page, what: string): Promise<void> {
  let report: string[] = [];
  for (let attempt = 0; attempt < 3; attempt += 1) {
    await settleAnimations(page);
    const results = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']).analyze();
    const blocking = results.violations.filter((violation) => violation.impact === 'serious' || violation.impact === 'critical');
    report = blocking.map((violation) => `${violation.id} (${violation.impact}): ${violation.help} at ${violation.nodes.map((node) => node.target.join(' ')).join(', ')}`);
    if (report.length === 0) return;
  }
  throw new Error(`axe found ${report.length} serious or critical violation(s) on ${what}:\n${report.join('\n')}`);
}

/**
 * Lets opening dialogs, menus and toasts finish their transitions (endless animations, such as a running progress
 * bar's stripes, are not waited for). A transition may start a frame or two after the click that opens it, and one
 * may start another: wait for the next frames, then for every finite animation, until two frames pass with none
 * running (bounded).
 */
async function settleAnimations(page: Page): Promise<void> {
  await page.evaluate(`(async () => {
    const frame = () => new Promise((resolve) => requestAnimationFrame(() => resolve(undefined)));
    for (let round = 0; round < 20; round += 1) {
      await frame();
      await frame();
      const running = document.getAnimations().filter((animation) => animation.playState === 'running' && animation.effect?.getComputedTiming().iterations !== Infinity);
      if (running.length === 0) return;
      await Promise.all(running.map((animation) => animation.finished.catch(() => undefined)));
    }
  })()`);
}

/**
 * Waits (a minute by default: a run is background work on a loaded machine) for the run page's status badge to
 * read `status`. When it does not, the failure says what the gateway says of that run, read with the page's own
 * session: the run still going (slow) or already ended (the page missed it) are different defects.
 */
export async function waitForRunStatus(page: Page, status: string | RegExp, timeout = 60_000): Promise<void> {
  const badge = page.getByTestId('run-status').filter({ hasText: typeof status === 'string' ? new RegExp(`^${status}$`) : status });
  try {
    await badge.waitFor({ timeout });
  } catch (error) {
    const shown = await page.getByTestId('run-status').allTextContents().catch(() => []);
    const api = await gatewayView(page, new URL(page.url()).pathname);
    throw new Error(`the run page (${page.url()}) shows ${JSON.stringify(shown)}, not ${String(status)}, after ${timeout} ms; the gateway answers: ${api}`, { cause: error });
  }
}

/**
 * Waits for what a page shows once a run has ended (a minute by default, as waitForRunStatus). When it does not show,
 * the failure says what the gateway says of the run (`/tenants/…/runs/…`), read with the page's own session.
 */
export async function waitForRunOutcome(page: Page, shown: Locator, runPath: string, timeout = 60_000): Promise<void> {
  try {
    await shown.waitFor({ timeout });
  } catch (error) {
    throw new Error(`the page (${page.url()}) did not show ${String(shown)} after ${timeout} ms; the gateway answers for ${runPath}: ${await gatewayView(page, runPath)}`, { cause: error });
  }
}

/** The gateway's answer for `path` (under /api), read with the page's session: a failure's evidence. */
async function gatewayView(page: Page, path: string): Promise<string> {
  return page
    .evaluate(
      `(async (path) => {
        const session = JSON.parse(sessionStorage.getItem('policyvault.session') ?? '{}');
        const response = await fetch('/api' + path, { headers: session.token ? { authorization: 'Bearer ' + session.token } : {} });
        return response.status + ' ' + (await response.text());
      })(${JSON.stringify(path)})`,
    )
    .then(String)
    .catch((reason: Error) => `not read: ${reason.message}`);
}

export async function screenshot(page: Page, name: string): Promise<void> {
  mkdirSync(SCREENSHOTS, { recursive: true });
  await page.screenshot({ path: join(SCREENSHOTS, `${name}.png`), fullPage: false });
}
