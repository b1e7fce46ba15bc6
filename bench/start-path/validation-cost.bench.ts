// The validation a start costs, with and without the compiled valid verdict (`certainlyValid`), in one process:
// `npm run build && node dist/bench/start-path/validation-cost.bench.js`
//
// Per start the gateway validates the body (its ValidationPipe: class-transformer, then class-validator) and the
// run type's target and scope; run-service validates the RPC request, the target and scope again, and the
// "queued" status event it writes to its outbox. Each is timed here as it ran before (class-validator's
// validate / validateSync) and as it runs now, in alternating rounds, so that the other work on a shared
// machine weighs on both alike: the figures are medians of per-round CPU times and their ratio.
import 'reflect-metadata';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { ValidationPipe, type ArgumentMetadata } from '@nestjs/common';
import { plainToInstance } from 'class-transformer';
import { validateSync } from 'class-validator';
import { RUN_TYPES_REGISTRY, RunStatusEvent, RunType, StartRunRequest } from '@policyvault/contracts';
import { validateMessage, validateRunTargetAndScope } from '@policyvault/platform';

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 15);
const ITERATIONS = Number(process.env.BENCH_ITERATIONS ?? 2000);
const UUID = '3f0f4a52-6c1e-4d0a-9b7e-2a1c3d4e5f60';
const MESSAGE_OPTIONS = { whitelist: true, forbidNonWhitelisted: true, forbidUnknownValues: false };

/** What validateMessage did before: class-transformer, then class-validator for every verdict. */
function classValidatorMessage(schema: new () => object, payload: object): boolean {
  return validateSync(plainToInstance(schema, payload), MESSAGE_OPTIONS).length === 0;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

/** CPU time (user + system, not wall time: the machine is shared) per call, in µs. */
async function timed(run: () => unknown): Promise<number> {
  const started = process.cpuUsage();
  for (let index = 0; index < ITERATIONS; index += 1) {
    const result = run();
    if (result instanceof Promise) await result;
  }
  const used = process.cpuUsage(started);
  return (used.user + used.system) / ITERATIONS;
}

async function main() {
  const gatewayModule = await import(pathToFileURL(join(process.cwd(), 'dist/apps/gateway/src/app.module.js')).href);
  const { StartRunBody } = await import(pathToFileURL(join(process.cwd(), 'dist/apps/gateway/src/runs/start-run.dto.js')).href);
  const compiledPipe = gatewayModule.gatewayValidationPipe() as ValidationPipe;
  // The gateway's pipe as it was: Nest's ValidationPipe with the same options.
  const classValidatorPipe = new ValidationPipe({ whitelist: true, forbidNonWhitelisted: true, forbidUnknownValues: true, transform: true });
  const metadata: ArgumentMetadata = { type: 'body', metatype: StartRunBody, data: '' };
  const body = () => ({ type: RunType.PolicyCaptureSnapshot, target: { policyId: UUID }, scope: {} });
  const definition = RUN_TYPES_REGISTRY[RunType.PolicyCaptureSnapshot];
  const request = {
    tenantId: UUID,
    tenantDirectoryId: 'contoso.onmicrosoft.com',
    tenantDisplayName: 'Contoso',
    type: RunType.PolicyCaptureSnapshot,
    target: { policyId: UUID },
    scope: {},
    initiator: { userId: UUID, email: 'owner@contoso.test' },
  };
  const event = {
    eventId: `run:${UUID}:status:queued`,
    kind: 'transition',
    runId: UUID,
    tenantId: UUID,
    type: RunType.PolicyCaptureSnapshot,
    status: 'queued',
    cancelRequested: false,
    counts: { total: 0, succeeded: 0, failed: 0, skipped: 0 },
    initiator: { userId: UUID, email: 'owner@contoso.test' },
    occurredAt: new Date().toISOString(),
  };
  const cases: { name: string; where: 'gateway' | 'run-service'; before: () => unknown; now: () => unknown }[] = [
    {
      name: 'body (ValidationPipe, StartRunBody)',
      where: 'gateway',
      before: () => classValidatorPipe.transform(body(), metadata),
      now: () => compiledPipe.transform(body(), metadata),
    },
    {
      name: 'target and scope (gateway and run-service each)',
      where: 'gateway',
      before: () => classValidatorMessage(definition.target, { policyId: UUID }) && classValidatorMessage(definition.scope, {}),
      now: () => validateRunTargetAndScope(RunType.PolicyCaptureSnapshot, { policyId: UUID }, {}).ok,
    },
    {
      name: 'RPC request (StartRunRequest)',
      where: 'run-service',
      before: () => classValidatorMessage(StartRunRequest, request),
      now: () => validateMessage(StartRunRequest, request).ok,
    },
    {
      name: 'queued status event (RunStatusEvent)',
      where: 'run-service',
      before: () => classValidatorMessage(RunStatusEvent, event),
      now: () => validateMessage(RunStatusEvent, event).ok,
    },
  ];
  for (const { name, before, now } of cases) {
    const [a, b] = [before(), now()];
    const [resolvedA, resolvedB] = [a instanceof Promise ? await a : a, b instanceof Promise ? await b : b];
    if (!resolvedA || !resolvedB) throw new Error(`${name}: the sample is not valid`);
  }
  const samples = new Map(cases.map(({ name }) => [name, { before: [] as number[], now: [] as number[] }]));
  for (let round = 0; round < ROUNDS; round += 1) {
    for (const { name, before, now } of cases) {
      const figures = samples.get(name)!;
      // ABBA within the round
      if (round % 2 === 0) {
        figures.before.push(await timed(before));
        figures.now.push(await timed(now));
      } else {
        figures.now.push(await timed(now));
        figures.before.push(await timed(before));
      }
    }
  }
  const rows = cases.map(({ name, where }) => {
    const { before, now } = samples.get(name)!;
    return { name, where, beforeMicroseconds: Number(median(before).toFixed(1)), nowMicroseconds: Number(median(now).toFixed(1)), ratio: Number((median(now) / median(before)).toFixed(2)) };
  });
  const perStart = (where: 'gateway' | 'run-service', key: 'beforeMicroseconds' | 'nowMicroseconds') =>
    // target and scope are checked by both services
    Number(rows.filter((row) => row.where === where || row.name.startsWith('target')).reduce((sum, row) => sum + row[key], 0).toFixed(1));
  const report = {
    date: new Date().toISOString(),
    node: process.version,
    rounds: ROUNDS,
    iterations: ITERATIONS,
    cases: rows,
    perStartMicroseconds: {
      gateway: { before: perStart('gateway', 'beforeMicroseconds'), now: perStart('gateway', 'nowMicroseconds') },
      runService: { before: perStart('run-service', 'beforeMicroseconds'), now: perStart('run-service', 'nowMicroseconds') },
    },
  };
  mkdirSync('bench/start-path', { recursive: true });
  writeFileSync('bench/start-path/validation-last-run.json', `${JSON.stringify(report, null, 2)}\n`);
  console.log(JSON.stringify(report, null, 2));
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
