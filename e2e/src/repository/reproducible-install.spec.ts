// `npm start` on a fresh clone must not leave the working tree dirty: its install step is `npm ci`
// (which never writes the lock file), and the lock file is complete (every platform's optional
// binaries) and in sync with package.json, so `npm ci` accepts it and `npm install` would not rewrite it.
import { execFile } from 'node:child_process';
import { copyFileSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);
const root = resolve(process.cwd());
const NPM_FLAGS = ['--ignore-scripts', '--no-audit', '--no-fund'];

/** A folder with only the manifest and the lock file, as a fresh clone has them. */
function manifestCopy(): string {
  const folder = mkdtempSync(join(tmpdir(), 'pv-lock-'));
  for (const file of ['package.json', 'package-lock.json']) copyFileSync(join(root, file), join(folder, file));
  return folder;
}

describe('reproducible installs', () => {
  let folder: string;

  beforeEach(() => {
    folder = manifestCopy();
  });

  afterEach(() => rmSync(folder, { recursive: true, force: true }));

  it('installs with `npm ci` in npm start and in CI', () => {
    const start = readFileSync(join(root, 'tools/scripts/start.mjs'), 'utf8');
    const npmCalls = [...start.matchAll(/sh\('npm', \[([^\]]*)\]/g)].map((match) => match[1]);
    expect(npmCalls.length).toBeGreaterThan(0);
    for (const args of npmCalls) expect(args.split(',')[0].trim()).toBe("'ci'");
    expect(readFileSync(join(root, '.ci/run'), 'utf8')).toMatch(/^npm ci /m);
    expect(readFileSync(join(root, 'Dockerfile'), 'utf8')).toMatch(/RUN npm ci /);
  });

  it('has a lock file that `npm ci` accepts (in sync with package.json, every platform listed)', async () => {
    await expect(run('npm', ['ci', '--dry-run', ...NPM_FLAGS], { cwd: folder })).resolves.toBeDefined();
  }, 120_000);

  it('has a lock file that `npm install` would not change', async () => {
    const before = readFileSync(join(folder, 'package-lock.json'), 'utf8');
    await run('npm', ['install', '--package-lock-only', ...NPM_FLAGS], { cwd: folder });
    expect(readFileSync(join(folder, 'package-lock.json'), 'utf8')).toBe(before);
  }, 120_000);
});
