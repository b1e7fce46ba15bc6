// Summarizes V8 CPU profiles (`node --cpu-prof`, e.g. `BENCH_CPU_PROF=tmp/prof npm run bench:start-path`):
// `node dist/bench/support/cpu-profile-summary.js <file.cpuprofile>… [--top N]`
// Per profile: the share of sampled time by where the running frame is (a package, Node's internals, the app's
// own code, GC, idle), the functions with the most self time, and those with the most total time (each function
// counted once per sample however deep it recurses). Shares are of the profile's whole sampled time, boot included.
import { readFileSync } from 'node:fs';
import { basename } from 'node:path';

interface CallFrame {
  functionName: string;
  url: string;
  lineNumber: number;
}
interface ProfileNode {
  id: number;
  callFrame: CallFrame;
  children?: number[];
}
interface CpuProfile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

/** Where a frame belongs: `pkg:<name>` for node_modules, `node:` internals, `app:<apps|libs>/…`, or V8's pseudo frames. */
export function frameArea(frame: CallFrame): string {
  const { url, functionName } = frame;
  if (!url) return functionName.startsWith('(') ? functionName : '(native)';
  const packageMatch = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (packageMatch) return `pkg:${packageMatch[1]}`;
  if (url.startsWith('node:')) return 'node:internals';
  const appMatch = /dist\/((?:apps|libs)\/[^/]+)/.exec(url);
  if (appMatch) return `app:${appMatch[1]}`;
  return url;
}

function frameKey(frame: CallFrame): string {
  const where = frame.url ? `${frame.url.replace(/^.*(node_modules\/|dist\/)/, '')}:${frame.lineNumber + 1}` : '';
  return `${frame.functionName || '(anonymous)'} ${where}`.trim();
}

export function summarizeProfile(profile: CpuProfile, top = 25) {
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const parent = new Map<number, number>();
  for (const node of profile.nodes) for (const child of node.children ?? []) parent.set(child, node.id);
  const self = new Map<string, number>();
  const total = new Map<string, number>();
  const areas = new Map<string, number>();
  const areasTotal = new Map<string, number>();
  let sampled = 0;
  profile.samples.forEach((id, index) => {
    const delta = profile.timeDeltas[index + 1] ?? 0; // the time until the next sample belongs to this one
    sampled += delta;
    const leaf = byId.get(id)!;
    self.set(frameKey(leaf.callFrame), (self.get(frameKey(leaf.callFrame)) ?? 0) + delta);
    areas.set(frameArea(leaf.callFrame), (areas.get(frameArea(leaf.callFrame)) ?? 0) + delta);
    const seen = new Set<string>();
    const seenAreas = new Set<string>();
    for (let current: number | undefined = id; current !== undefined; current = parent.get(current)) {
      const frame = byId.get(current)!.callFrame;
      seen.add(frameKey(frame));
      seenAreas.add(frameArea(frame));
    }
    for (const key of seen) total.set(key, (total.get(key) ?? 0) + delta);
    for (const area of seenAreas) areasTotal.set(area, (areasTotal.get(area) ?? 0) + delta);
  });
  const share = (entries: Map<string, number>, count: number) =>
    [...entries]
      .sort((a, b) => b[1] - a[1])
      .slice(0, count)
      .map(([name, micros]) => ({ name, ms: Math.round(micros / 1000), percent: Number(((100 * micros) / sampled).toFixed(1)) }));
  return {
    sampledMs: Math.round(sampled / 1000),
    selfByArea: share(areas, 20),
    totalByArea: share(areasTotal, 20),
    topSelf: share(self, top),
    topTotal: share(total, top),
  };
}

if (process.argv[1]?.endsWith('cpu-profile-summary.js')) {
  const args = process.argv.slice(2);
  const topIndex = args.indexOf('--top');
  const top = topIndex >= 0 ? Number(args.splice(topIndex, 2)[1]) : 25;
  for (const file of args) {
    const summary = summarizeProfile(JSON.parse(readFileSync(file, 'utf8')) as CpuProfile, top);
    console.log(`\n=== ${basename(file)}: ${summary.sampledMs} ms sampled`);
    for (const [title, rows] of Object.entries({
      'self time by area': summary.selfByArea,
      'total time by area (on the stack)': summary.totalByArea,
      'top self': summary.topSelf,
      'top total': summary.topTotal,
    })) {
      console.log(`-- ${title}`);
      for (const row of rows) console.log(`${String(row.percent).padStart(6)} %  ${String(row.ms).padStart(7)} ms  ${row.name}`);
    }
  }
}
