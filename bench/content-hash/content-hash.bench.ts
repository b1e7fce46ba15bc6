// What a capture's content hash costs against the JSON it stores, on the emulator's generated policies
// (issue 17, target 4: the capture-worker's CPU per item).
//   npm run bench:content-hash        (BENCH_OBJECTS_PER_TYPE, default 40; BENCH_ROUNDS, default 15)
// Each round hashes every object (`contentHash`, with a secret envelope in half of them) and serializes every object
// (`JSON.stringify`, what `recordAll` sends to Postgres), in alternating order; the figure is the ratio of the two per
// round (a native serializer as the yardstick, so the host's speed cancels out) and µs per object.
// `BENCH_SERVICES_ROOT=<checkout>` measures that checkout's built content hash (an A/B of two implementations).
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { pathToFileURL } from 'node:url';
import { generateDemoPolicies } from '@policyvault/graph-emulator';
import { SECRET_ENVELOPE_MARKER } from '@policyvault/platform';

// The content hash of the build under test, as the capture-worker runs it.
const root = process.env.BENCH_SERVICES_ROOT ?? process.cwd();
const { contentHash } = (await import(pathToFileURL(join(root, 'dist/apps/capture-worker/src/store/content-hash.js')).href)) as { contentHash: (snapshot: Record<string, unknown>) => string };

const OBJECTS_PER_TYPE = Number(process.env.BENCH_OBJECTS_PER_TYPE ?? 40);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 15);

const objects = generateDemoPolicies('00000000-0000-4000-8000-00000000b001', { policiesPerType: OBJECTS_PER_TYPE }).map(({ object }, index) =>
  index % 2 === 0 ? object : { ...object, omaSettings: [{ omaUri: './Vendor/MSFT/Secret', value: { [SECRET_ENVELOPE_MARKER]: { version: 1, algorithm: 'AES-256-GCM', keyId: 'k1', wrappedKey: 'w'.repeat(80), ciphertext: 'c'.repeat(44), digest: 'd'.repeat(43) } } }] },
);

function time(work: () => void): number {
  const started = performance.now();
  work();
  return performance.now() - started;
}

let sink = 0;
const hashAll = () => {
  for (const object of objects) sink += contentHash(object).length;
};
const stringifyAll = () => {
  for (const object of objects) sink += JSON.stringify(object).length;
};

// Warm-up: both compiled and optimized before the measure.
for (let round = 0; round < 3; round += 1) {
  hashAll();
  stringifyAll();
}
const rounds: Array<{ hashMs: number; stringifyMs: number; ratio: number }> = [];
for (let round = 0; round < ROUNDS; round += 1) {
  const first = round % 2 === 0;
  const a = time(first ? hashAll : stringifyAll);
  const b = time(first ? stringifyAll : hashAll);
  const [hashMs, stringifyMs] = first ? [a, b] : [b, a];
  rounds.push({ hashMs, stringifyMs, ratio: hashMs / stringifyMs });
}
const median = (values: number[]) => [...values].sort((x, y) => x - y)[Math.floor(values.length / 2)];
const bytes = objects.reduce((total, object) => total + Buffer.byteLength(JSON.stringify(object)), 0);
const result = {
  objects: objects.length,
  averageJsonBytes: Math.round(bytes / objects.length),
  hashPerObjectMicroseconds: Number(((1000 * median(rounds.map((round) => round.hashMs))) / objects.length).toFixed(2)),
  stringifyPerObjectMicroseconds: Number(((1000 * median(rounds.map((round) => round.stringifyMs))) / objects.length).toFixed(2)),
  hashToStringifyRatio: { median: Number(median(rounds.map((round) => round.ratio)).toFixed(2)), min: Number(Math.min(...rounds.map((round) => round.ratio)).toFixed(2)), max: Number(Math.max(...rounds.map((round) => round.ratio)).toFixed(2)) },
  rounds: rounds.length,
  services: process.env.BENCH_SERVICES_ROOT ?? 'this checkout',
  node: process.version,
  checksum: sink % 997,
};
console.log(JSON.stringify(result, null, 1));
const directory = join(process.cwd(), 'bench', 'content-hash');
mkdirSync(directory, { recursive: true });
writeFileSync(join(directory, 'last-run.json'), `${JSON.stringify(result, null, 1)}\n`);
