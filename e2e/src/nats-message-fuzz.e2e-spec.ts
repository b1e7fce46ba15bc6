// Property-based fuzzing of what the services consume over NATS (issue 14): malformed messages (no JSON,
// NUL bytes, null, deep nesting, wrong shapes, pollution keys, huge payloads, odd headers) on every
// JetStream subject a service consumes (commands, worker events, run status, schedule alerts, tenant purges; subjects from
// libs/contracts), and malformed requests on every RPC subject. Every bad stream message is recorded
// exactly once in each owning service's rejected_messages, at its first delivery, and terminated (no
// consumer has it pending or redelivered); every RPC request gets an error reply; afterwards every
// consumer still works: a backup and a restore preview run complete and their notifications arrive.
import { randomUUID } from 'node:crypto';
import fc from 'fast-check';
import { headers as natsHeaders, type MsgHdrs } from '@nats-io/transport-node';
import {
  AuditRpc,
  BackupScheduleRpc,
  BackupStoreRpc,
  DirectoryRpc,
  DriftRpc,
  NotificationRpc,
  RestoreRpc,
  RUN_TYPES_REGISTRY,
  RunRpc,
  RunStatus,
  RunType,
  WorkerEventSubjects,
} from '@policyvault/contracts';
import { startGraphEmulator, type RunningGraphEmulator } from '@policyvault/graph-emulator';
import { CONTOSO, gatewayRuns, graphEmulatorEnv, startStack, waitFor, type Stack } from '@policyvault/testing';
import { hostileDepth, hostileValue, nestedJsonText, nonObjectJsonText, notJsonText, pollutionKeys, withPollutionKeys } from './fuzz/hostile-input.js';

const SEED = Number(process.env.FUZZ_SEED ?? Date.now() % 2 ** 31);
const MESSAGES_PER_SUBJECT = 60;
const REQUESTS_PER_RPC_SUBJECT = 30;
const KEPT_BYTES = 10_000;
const SCHEMAS = { gateway: 'gateway', 'run-service': 'run_service', 'capture-worker': 'capture', 'restore-worker': 'restore', notifier: 'notifier' } as const;
type Service = keyof typeof SCHEMAS;
const STACK_TRACE = /\n\s+at |\.[cm]?[jt]s:\d+:\d+|node_modules\//;

interface Published {
  subject: string;
  owners: readonly Service[];
  stream: string;
  seq: number;
  data: Uint8Array;
}

/** A malformed payload: raw bytes (NUL, no UTF-8), no JSON, not an object, too deep, or an object no contract accepts. */
const malformedPayload: fc.Arbitrary<Uint8Array> = fc.oneof(
  fc.uint8Array({ minLength: 1, maxLength: 64 }).map((bytes) => Buffer.concat([Buffer.from([0x00]), bytes])),
  fc.constantFrom(Buffer.from([0xff, 0xfe, 0x00, 0x7b]), Buffer.from('{"runId":"\u0000"}'), Buffer.from([0x7b, 0x00, 0x7d])),
  notJsonText.map((text) => Buffer.from(text)),
  nonObjectJsonText.map((text) => Buffer.from(text)),
  fc.tuple(hostileDepth, fc.constantFrom('array' as const, 'object' as const)).map(([depth, kind]) => Buffer.from(nestedJsonText(depth, kind))),
  // A plausible message with one field it never has (refused by every contract), and hostile values beside it.
  fc
    .record({ runId: fc.oneof(fc.uuid(), hostileValue), tenantId: fc.uuid(), status: hostileValue, fuzzUnknownField: hostileValue }, { requiredKeys: ['fuzzUnknownField'] })
    .map((value) => Buffer.from(JSON.stringify(value))),
  fc.tuple(fc.uuid(), hostileDepth).map(([id, depth]) => Buffer.from(`{"runId":"${id}","tenantId":"${id}","deep":${nestedJsonText(depth, 'object')}}`)),
  fc.tuple(fc.uuid(), pollutionKeys).map(([id, keys]) => Buffer.from(withPollutionKeys(JSON.stringify({ runId: id, tenantId: id }), keys))),
  fc.integer({ min: 100_000, max: 600_000 }).map((length) => Buffer.from(JSON.stringify({ runId: 'x'.repeat(length) }))),
);

/** Headers a publisher might add: none, or custom ones with odd (printable) values. */
const oddHeaders: fc.Arbitrary<Array<[string, string]>> = fc.array(
  fc.tuple(fc.constantFrom('X-Fuzz', 'Content-Type', 'traceparent', 'X-Tenant-Id', 'Authorization'), fc.string({ unit: 'binary-ascii', maxLength: 200 }).map((value) => value.replace(/[^\x20-\x7e]/g, '?'))),
  { maxLength: 3 },
);

describe('NATS fuzzing: malformed messages are recorded once and terminated, RPC requests get error replies, consumers live on', () => {
  let emulator: RunningGraphEmulator;
  let stack: Stack;

  beforeAll(async () => {
    emulator = await startGraphEmulator({ port: 0, seedDemoTenants: false });
    emulator.admin.resetTenant(CONTOSO.directoryId, { displayName: CONTOSO.displayName, seed: { policiesPerType: 1, counts: {} } });
    stack = await startStack({ services: ['run-service', 'capture-worker', 'restore-worker', 'notifier', 'gateway'], env: graphEmulatorEnv(emulator.url) });
  }, 120_000);

  afterAll(async () => {
    await stack?.close();
    await emulator?.close();
  });

  it('records every malformed stream message exactly once per owning service and terminates it at its first delivery', async () => {
    const { names, js, jsm } = stack.nats;
    const targets: Array<{ subject: () => string; owners: readonly Service[] }> = [
      ...Object.values(RUN_TYPES_REGISTRY).map(({ subject, worker }) => ({ subject: () => names.subject(subject), owners: [worker] })),
      { subject: () => names.subject('cmd.capture.fuzz-unknown.v1'), owners: ['capture-worker'] },
      { subject: () => names.subject('cmd.restore.fuzz-unknown.v1'), owners: ['restore-worker'] },
      ...Object.values(WorkerEventSubjects).map((subject) => ({ subject: () => names.subject(subject), owners: ['run-service'] as const })),
      { subject: () => names.runStatusSubject(randomUUID()), owners: ['notifier'] },
      { subject: () => names.scheduleAlertSubject(randomUUID()), owners: ['notifier'] },
      { subject: () => names.tenantPurgeSubject(randomUUID()), owners: ['gateway', 'capture-worker', 'restore-worker', 'notifier'] },
      // Read only by live views (no durable consumer, nothing recorded): the gateway must shrug them off.
      { subject: () => names.runProgressSubject(CONTOSO.id), owners: [] },
    ];
    const started = Date.now();
    const published: Published[] = [];
    for (const [index, target] of targets.entries()) {
      const cases = fc.sample(fc.tuple(malformedPayload, oddHeaders), { numRuns: MESSAGES_PER_SUBJECT, seed: SEED + index });
      await Promise.all(
        cases.map(async ([data, headerPairs]) => {
          const subject = target.subject();
          const headers = headerPairs.length > 0 ? headersOf(headerPairs) : undefined;
          const ack = await js.publish(subject, data, { headers, msgID: randomUUID() });
          published.push({ subject, owners: target.owners, stream: ack.stream, seq: ack.seq, data });
        }),
      );
    }
    const expectedRows = published.reduce((sum, message) => sum + message.owners.length, 0);

    let recorded: RejectedRow[] = [];
    try {
      await waitFor(
        async () => (recorded = await rejectedRows(stack, published)).length,
        (count) => count >= expectedRows,
        { timeoutMs: 90_000, intervalMs: 500, what: `${expectedRows} rejected_messages rows (seed ${SEED})` },
      );
    } catch (error) {
      // Name the messages not recorded (owner, subject, sequence), not the rows' bytes.
      const seen = new Set(recorded.map((row) => `${row.service} ${row.stream} ${row.seq}`));
      const missing = published.flatMap((message) =>
        message.owners.filter((owner) => !seen.has(`${owner} ${message.stream} ${message.seq}`)).map((owner) => `${owner} ${message.subject} #${message.seq}`),
      );
      throw new Error(`${(error as Error).message}; not recorded (${missing.length}): ${missing.slice(0, 20).join(', ')}`);
    }
    const byMessage = new Map<string, RejectedRow[]>();
    for (const row of recorded) byMessage.set(`${row.service} ${row.stream} ${row.seq}`, [...(byMessage.get(`${row.service} ${row.stream} ${row.seq}`) ?? []), row]);
    const problems: string[] = [];
    for (const message of published) {
      for (const owner of message.owners) {
        const rows = byMessage.get(`${owner} ${message.stream} ${message.seq}`) ?? [];
        if (rows.length !== 1) problems.push(`${owner} ${message.subject} #${message.seq}: ${rows.length} rows`);
        else if (rows[0].deliveryCount !== 1) problems.push(`${owner} ${message.subject} #${message.seq}: recorded at delivery ${rows[0].deliveryCount}`);
        else if (!isJson(message.data) && !rows[0].payload.equals(Buffer.from(message.data).subarray(0, KEPT_BYTES))) {
          problems.push(`${owner} ${message.subject} #${message.seq}: payload bytes not kept as they came`);
        }
      }
    }
    expect(problems).toEqual([]);

    // Terminated: no consumer of any stream holds one pending, redelivers one, or has any left to deliver.
    const consumers = await waitFor(
      () => consumerStates(jsm, [names.commandStream, names.workerEventStream, names.runStatusStream, names.tenantEventStream]),
      (states) => states.every((state) => state.ackPending === 0 && state.redelivered === 0 && state.pending === 0),
      { timeoutMs: 30_000, intervalMs: 250, what: 'every consumer to have settled every message' },
    );
    expect(consumers.map((state) => state.durable).sort()).toEqual(
      expect.arrayContaining(['capture-worker', 'restore-worker', 'run-service', 'gateway-tenant-purge', 'capture-worker-tenant-purge', 'restore-worker-tenant-purge', 'notifier-tenant-purge']),
    );
    console.log(
      `NATS fuzz: ${published.length} stream messages on ${targets.length} subjects, ${expectedRows} rows recorded and all settled in ${((Date.now() - started) / 1000).toFixed(1)} s (seed ${SEED})`,
    );
  }, 180_000);

  it('answers every malformed request on every RPC subject with an error reply', async () => {
    const patterns = [RunRpc, BackupStoreRpc, BackupScheduleRpc, AuditRpc, RestoreRpc, DriftRpc, DirectoryRpc, NotificationRpc].flatMap((group) => Object.values(group));
    const request = fc.oneof(
      malformedPayload,
      fc
        .oneof(
          fc.constantFrom<unknown>(null, 'text', [], 42),
          hostileValue.map((hostile) => ({ fuzzUnknownField: hostile })),
          hostileValue.map((hostile) => ({ tenantId: '\u0000', runId: hostile })),
          hostileValue.map((hostile) => ({ tenantId: CONTOSO.id, fuzzUnknownField: hostile })),
        )
        .map((data) => JSON.stringify(data))
        .chain((dataText) => fc.oneof(fc.constant(dataText), hostileDepth.map((depth) => nestedJsonText(depth, 'array'))))
        .map((dataText) => Buffer.from(`{"id":"${randomUUID()}","pattern":"fuzz","data":${dataText}}`)),
    );
    const started = Date.now();
    let sent = 0;
    const failures = await Promise.all(
      patterns.map(async (pattern, index) => {
        const details = await fc.check(
          fc.asyncProperty(request, async (payload) => {
            sent += 1;
            const reply = await stack.nats.connection.request(`${stack.nats.namespace}.${pattern}`, payload, { timeout: 10_000 });
            const body = reply.json<{ err?: { code?: unknown; message?: unknown }; response?: unknown }>();
            if (typeof body.err?.code !== 'string' || typeof body.err.message !== 'string') throw new Error(`no error reply: ${reply.string().slice(0, 300)}`);
            if (STACK_TRACE.test(body.err.message)) throw new Error(`a stack trace in the reply: ${body.err.message.slice(0, 300)}`);
          }),
          { numRuns: REQUESTS_PER_RPC_SUBJECT, seed: SEED + 1000 + index, endOnFailure: true },
        );
        return details.failed ? `${pattern} (seed ${details.seed}): ${String(details.errorInstance)}` : null;
      }),
    );
    console.log(`NATS RPC fuzz: ${sent} requests on ${patterns.length} subjects in ${((Date.now() - started) / 1000).toFixed(1)} s`);
    expect(failures.filter(Boolean)).toEqual([]);
  }, 120_000);

  it('keeps every consumer alive: a backup, then a restore preview, complete and notify their initiator', async () => {
    const runs = gatewayRuns(stack.gatewayUrl, await stack.token('owner@contoso.test'));
    const backup = await runs.start(CONTOSO.id, { type: RunType.BackupSetCreate, target: { name: 'after the fuzzing' }, scope: {} });
    const backupRun = await runs.waitUntilTerminal(CONTOSO.id, backup.reply.run.id, { timeoutMs: 60_000 });
    expect(backupRun.status).toBe(RunStatus.Succeeded);
    const preview = await runs.start(CONTOSO.id, { type: RunType.RestorePreview, target: { backupSetId: String(backupRun.summary?.backupSetId) }, scope: {} });
    const previewRun = await runs.waitUntilTerminal(CONTOSO.id, preview.reply.run.id, { timeoutMs: 60_000 });
    expect(previewRun.status).toBe(RunStatus.Succeeded);
    await waitFor(
      async () => (await stack.database.pool.query<{ n: number }>(`SELECT count(DISTINCT run_id)::int AS n FROM notifier.notifications WHERE run_id = ANY($1)`, [[backupRun.id, previewRun.id]])).rows[0].n,
      (count) => count === 2,
      { timeoutMs: 30_000, intervalMs: 200, what: 'the notifier to notify both runs' },
    );
  }, 150_000);
});

interface RejectedRow {
  service: Service;
  stream: string;
  seq: number;
  deliveryCount: number;
  payload: Buffer;
}

/** The rows every service recorded for the published messages. */
async function rejectedRows(stack: Stack, published: Published[]): Promise<RejectedRow[]> {
  const sequences = [...new Set(published.map((message) => message.seq))];
  const rows: RejectedRow[] = [];
  for (const [service, schema] of Object.entries(SCHEMAS) as Array<[Service, string]>) {
    const { rows: found } = await stack.database.pool.query<{ stream: string; seq: string; delivery_count: number; payload: Buffer }>(
      `SELECT stream, stream_sequence AS seq, delivery_count, payload FROM ${schema}.rejected_messages WHERE stream_sequence = ANY($1::bigint[])`,
      [sequences],
    );
    rows.push(...found.filter((row) => published.some((message) => message.stream === row.stream && message.seq === Number(row.seq))).map((row) => ({ service, stream: row.stream, seq: Number(row.seq), deliveryCount: row.delivery_count, payload: row.payload })));
  }
  return rows;
}

async function consumerStates(jsm: Stack['nats']['jsm'], streams: string[]) {
  const states: Array<{ durable: string; ackPending: number; redelivered: number; pending: number }> = [];
  for (const stream of streams) {
    for await (const info of jsm.consumers.list(stream)) {
      if (!info.config.durable_name) continue; // live views' ordered consumers ack nothing
      states.push({ durable: info.config.durable_name, ackPending: info.num_ack_pending, redelivered: info.num_redelivered, pending: info.num_pending });
    }
  }
  return states;
}

function headersOf(pairs: Array<[string, string]>): MsgHdrs {
  const headers = natsHeaders();
  for (const [name, value] of pairs) headers.append(name, value);
  return headers;
}

function isJson(data: Uint8Array): boolean {
  try {
    JSON.parse(Buffer.from(data).toString('utf8'));
    return true;
  } catch {
    return false;
  }
}
