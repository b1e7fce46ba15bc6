// Browser tests and benchmarks drive Debian's Chromium (the `chromium` package; .ci/run installs it) through
// Playwright: Playwright's own browser download cannot work on these machines.
import { chromium, type Browser } from '@playwright/test';
import { existsSync } from 'node:fs';

export function chromiumPath(): string {
  const candidates = [process.env.CHROMIUM_PATH, '/usr/bin/chromium', '/usr/bin/chromium-browser'].filter((path): path is string => Boolean(path));
  const found = candidates.find((path) => existsSync(path));
  if (!found) throw new Error('No Chromium found: install the Debian package (`apt-get install -y chromium`, as .ci/run does) or set CHROMIUM_PATH');
  return found;
}

export async function launchBrowser(): Promise<Browser> {
  // --no-sandbox: CI containers run as root, where Chromium's sandbox cannot start.
  return chromium.launch({ executablePath: chromiumPath(), args: ['--no-sandbox', '--disable-dev-shm-usage'] });
}
