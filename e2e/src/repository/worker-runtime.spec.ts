// Both workers run commands through one runtime (libs/worker-runtime): one job runner, one run
// progress, one PostponeRun and retry schedule, one cancel checkpoint, one forEachLimited, one Graph
// client factory module and WorkerModule.forWorker. This scans every app's source for a second copy of
// any of them, and proves the scan bites by feeding it sneaky snippets.
import { readFileSync, readdirSync } from 'node:fs';
import { join, relative } from 'node:path';

const root = join(import.meta.dirname, '../../..');

const FORBIDDEN: { what: string; pattern: RegExp }[] = [
  { what: 'its own job runner', pattern: /\bclass\s+\w*JobRunner\b/ },
  { what: 'its own run progress', pattern: /\bclass\s+\w*RunProgress\b/ },
  { what: 'its own postpone or cancel error', pattern: /\bclass\s+\w*(PostponeRun|RunCanceled)\b/ },
  { what: 'its own retry schedule', pattern: /\b(TRANSIENT_)?RETRY(_DELAYS)?_MS\s*=\s*\[/ },
  { what: 'its own forEachLimited', pattern: /\bfunction\s+forEach(Limited|UntilStopped)\b|\bforEach(Limited|UntilStopped)\s*=\s*(async\s*)?\(/ },
  { what: 'its own Graph client factory module', pattern: /\bprovide:\s*GraphClientFactory\b|\bcreateGraphClientFactoryFromConfig\b/ },
  { what: 'a direct CommandConsumerModule.register (use WorkerModule.forWorker)', pattern: /\bCommandConsumerModule\s*\.\s*register\b/ },
  { what: 'a run ended canceled by hand (throw RunCanceled at a checkpoint)', pattern: /\bprogress\s*\.\s*canceled\s*\(/ },
];

export function runtimeViolations(file: string, source: string): string[] {
  return FORBIDDEN.filter(({ pattern }) => pattern.test(source)).map(({ what }) => `${file} defines ${what}`);
}

function* sourceFiles(directory: string): Generator<string> {
  for (const entry of readdirSync(directory, { withFileTypes: true })) {
    const path = join(directory, entry.name);
    if (entry.isDirectory()) {
      if (entry.name !== 'node_modules' && entry.name !== 'dist') yield* sourceFiles(path);
    } else if (entry.name.endsWith('.ts')) {
      yield path;
    }
  }
}

describe('one worker runtime', () => {
  it('no app defines its own runner, progress, postpone/cancel, retry schedule, forEachLimited, Graph module or consumer block', () => {
    const files = [...sourceFiles(join(root, 'apps'))];
    expect(files.length).toBeGreaterThan(50);
    const violations = files.flatMap((file) => runtimeViolations(relative(root, file), readFileSync(file, 'utf8')));
    expect(violations).toEqual([]);
  });

  it('the scan catches a worker sneaking its own copies back in', () => {
    const sneaky = {
      runner: 'export class RestoreJobRunner {}',
      progress: 'export class RunProgress {\n}',
      postpone: 'export class PostponeRun extends Error {}',
      schedule: 'const TRANSIENT_RETRY_MS = [1000, 2000];',
      limited: 'export async function forEachLimited<T>(items: T[]) {}',
      untilStopped: 'export const forEachUntilStopped = async () => false;',
      graph: '@Module({ providers: [{ provide: GraphClientFactory, inject: [Config], useFactory: make }] })',
      consumer: 'imports: [CommandConsumerModule.register({ durable: "x" }, RejectedMessageRecorder)]',
      canceled: 'if (stop) return job.progress.canceled({ backupSetId });',
    };
    for (const [name, snippet] of Object.entries(sneaky)) {
      expect({ name, violations: runtimeViolations('apps/capture-worker/src/sneaky.ts', snippet) }).toEqual({ name, violations: [expect.any(String)] });
    }
    expect(runtimeViolations('apps/capture-worker/src/fine.ts', "import { JobRunner, forEachLimited } from '@policyvault/worker-runtime';\nawait forEachLimited(items, 4, task, job.checkpoint);")).toEqual([]);
  });
});
