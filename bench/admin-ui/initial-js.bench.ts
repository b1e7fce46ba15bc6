// The admin UI's initial download. `npm run bench:admin-ui` (builds first).
//
// Reads the built index.html (dist/apps/admin-ui), follows what a first visit loads before the app can
// render — the entry script, its modulepreload'ed chunks and the stylesheets — and sums their gzip
// sizes (level 9, what a compressing proxy would send; the gateway itself sends them uncompressed).
// Lazily loaded chunks (MSAL, only for Entra sign-in) are listed apart: not part of the initial load.
import { readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';

const TARGET_KIB = 250;
const directory = join(process.cwd(), 'dist/apps/admin-ui');
const html = readFileSync(join(directory, 'index.html'), 'utf8');
const initial = [...html.matchAll(/(?:src|href)="\/(assets\/[^"]+\.(?:js|css))"/g)].map((match) => match[1]);
const all = readdirSync(join(directory, 'assets'))
  .filter((file) => /\.(js|css)$/.test(file))
  .map((file) => `assets/${file}`);

const gzipKiB = (file: string) => gzipSync(readFileSync(join(directory, file)), { level: 9 }).length / 1024;
const rows = all.map((file) => ({ file, initial: initial.includes(file), gzipKiB: Number(gzipKiB(file).toFixed(1)) }));
const initialJs = rows.filter((row) => row.initial && row.file.endsWith('.js')).reduce((sum, row) => sum + row.gzipKiB, 0);
const initialCss = rows.filter((row) => row.initial && row.file.endsWith('.css')).reduce((sum, row) => sum + row.gzipKiB, 0);

console.table(rows);
console.log(`initial JavaScript: ${initialJs.toFixed(1)} KiB gzip (target ≤ ${TARGET_KIB} KiB: ${initialJs <= TARGET_KIB ? 'met' : 'NOT met'}); initial CSS: ${initialCss.toFixed(1)} KiB gzip`);
writeFileSync(join(process.cwd(), 'bench/admin-ui/last-run.json'), `${JSON.stringify({ measuredAt: new Date().toISOString(), initialJsKiB: Number(initialJs.toFixed(1)), initialCssKiB: Number(initialCss.toFixed(1)), targetKiB: TARGET_KIB, files: rows }, null, 2)}\n`);
