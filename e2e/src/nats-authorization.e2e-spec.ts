// NATS authorization end to end: a private nats-server with the generated per-service users
// (natsAuthorizationConfig, as deploy/nats/ has it), every service as a process on its own user. A normal
// backup → preview → restore with notifications and live progress works (the permissions are enough);
// forged messages are refused by the server (permission violations) or by the worker (no such run:
// recorded once, not one Graph request); no password reaches a log.
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import { jetstream } from '@nats-io/jetstream';
import { Objm } from '@nats-io/obj';
import { strToU8, zipSync } from 'fflate';
import {
  RUN_TYPES_REGISTRY,
  RunStatus,
  RunType,
  WorkerEventSubjects,
  natsInboxPrefix,
  workerEventSubject,
  type NotificationPage,
  type RunCommand,
  type RunStatusEvent,
  type RunView,
} from '@policyvault/contracts';
import { startGraphEmulator, type RunningGraphEmulator } from '@policyvault/graph-emulator';
import {
  CONTOSO,
  FABRIKAM,
  gatewayRuns,
  graphEmulatorEnv,
  openSse,
  startSecuredNats,
  startStack,
  waitFor,
  type GatewayRuns,
  type NatsCredentials,
  type SecuredNats,
  type Stack,
} from '@policyvault/testing';

const OWNER = 'owner@contoso.test';

describe('NATS authorization: one user per service (private nats-server)', () => {
  let emulator: RunningGraphEmulator;
  let secured: SecuredNats;
  let stack: Stack;
  let runs: GatewayRuns;
  let token: string;
  let backupRun: RunView;
  const connections: NatsConnection[] = [];

  /** A connection as one user, as the services connect (their own reply inbox), collecting the server's permission violations. */
  async function connectAs(credentials: NatsCredentials) {
    const connection = await connect({ servers: secured.url, ...credentials, inboxPrefix: natsInboxPrefix(credentials.user) });
    connections.push(connection);
    const violations: string[] = [];
    void (async () => {
      for await (const status of connection.status()) {
        if (status.type === 'error') violations.push(String(status.error.message));
      }
    })();
    return { connection, violations };
  }

  /** Publishes as `credentials`; resolves with the server's permission violations for that subject. */
  async function publishAs(credentials: NatsCredentials, subject: string, payload: object): Promise<string[]> {
    const { connection, violations } = await connectAs(credentials);
    connection.publish(subject, JSON.stringify(payload));
    await connection.flush();
    return waitFor(
      async () => violations.filter((violation) => violation.includes(subject)),
      (found) => found.length > 0,
      { timeoutMs: 5000, what: `the server's answer to ${credentials.user} publishing on ${subject}` },
    );
  }

  const subject = (suffix: string) => stack.nats.names.subject(suffix);

  beforeAll(async () => {
    emulator = await startGraphEmulator({ port: 0, seedDemoTenants: false });
    emulator.admin.resetTenant(CONTOSO.directoryId, { displayName: 'Contoso', seed: { policiesPerType: 0, counts: { deviceConfiguration: 3 } } });
    emulator.admin.resetTenant(FABRIKAM.directoryId, { displayName: 'Fabrikam', seed: { policiesPerType: 0, counts: { deviceConfiguration: 2 } } });
    secured = await startSecuredNats();
    stack = await startStack({
      services: ['run-service', 'capture-worker', 'restore-worker', 'notifier', 'gateway'],
      env: graphEmulatorEnv(emulator.url),
      nats: secured,
    });
    token = await stack.token(OWNER);
    runs = gatewayRuns(stack.gatewayUrl, token);
  }, 120_000);

  afterAll(async () => {
    await Promise.all(connections.map((connection) => connection.close().catch(() => undefined)));
    await stack?.close();
    await secured?.destroy();
    await emulator?.close();
  });

  it('lets a backup, a restore preview and a restore run end to end, with notifications and live progress through the gateway', async () => {
    const live = await openSse(`${stack.gatewayUrl}/api/tenants/${CONTOSO.id}/runs/events`, { token });
    try {
      await live.waitFor((events) => events.length >= 1, 10_000, 'the snapshot');
      const { reply } = await runs.start(CONTOSO.id, { type: RunType.BackupSetCreate, target: { name: 'Before the change' }, scope: { policyTypes: ['deviceConfiguration'] } });
      backupRun = await runs.waitUntilTerminal(CONTOSO.id, reply.run.id, { timeoutMs: 60_000 });
      expect(backupRun).toMatchObject({ status: RunStatus.Succeeded, counts: { total: 3, succeeded: 3 } });
      const progress = await live.waitFor(
        (events) => events.some((event) => event.event === 'run-status' && (JSON.parse(event.data) as RunStatusEvent).status === RunStatus.Succeeded),
        20_000,
        'the live terminal event',
      );
      const seen = progress.filter((event) => event.event === 'run-status').map((event) => JSON.parse(event.data) as RunStatusEvent);
      expect(seen.filter((event) => event.runId === backupRun.id).map((event) => event.status)).toEqual(expect.arrayContaining([RunStatus.Queued, RunStatus.Running, RunStatus.Succeeded]));
    } finally {
      live.close();
    }

    const backupSetId = String(backupRun.summary?.backupSetId);
    const preview = await runs.start(CONTOSO.id, { type: RunType.RestorePreview, target: { backupSetId }, scope: {} });
    expect(await runs.waitUntilTerminal(CONTOSO.id, preview.reply.run.id, { timeoutMs: 60_000 })).toMatchObject({ status: RunStatus.Succeeded });
    const restore = await runs.start(CONTOSO.id, {
      type: RunType.RestoreExecute,
      target: { backupSetId },
      scope: {},
      confirmation: { previewRunId: preview.reply.run.id },
    } as Parameters<GatewayRuns['start']>[1]);
    expect(await runs.waitUntilTerminal(CONTOSO.id, restore.reply.run.id, { timeoutMs: 60_000 })).toMatchObject({ status: RunStatus.Succeeded });

    // The notifier (its consumer and the directory it asks the gateway) told the initiator.
    const page = await waitFor(
      async () => (await (await fetch(`${stack.gatewayUrl}/api/notifications`, { headers: { authorization: `Bearer ${token}` } })).json()) as NotificationPage,
      (found) => found.items.some((item) => item.runId === restore.reply.run.id && item.status === RunStatus.Succeeded),
      { what: "the restore's notification" },
    );
    expect(page.items.filter((item) => item.runId === backupRun.id).map((item) => item.status)).toEqual(expect.arrayContaining([RunStatus.Succeeded]));
  }, 180_000);

  it('imports an uploaded archive: the gateway puts it in the imports bucket and the capture-worker reads and deletes it, each as its own user', async () => {
    const archive = zipSync({ 'Device Configurations/Kiosk.json': strToU8(JSON.stringify({ '@odata.type': '#microsoft.graph.windows10GeneralConfiguration', displayName: 'Kiosk' })) });
    const response = await fetch(`${stack.gatewayUrl}/api/tenants/${CONTOSO.id}/imports?name=Imported`, {
      method: 'POST',
      body: archive as BodyInit,
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/zip' },
    });
    expect(response.status).toBe(202);
    const { run } = (await response.json()) as { run: { id: string } };
    expect(await runs.waitUntilTerminal(CONTOSO.id, run.id, { timeoutMs: 60_000 })).toMatchObject({ status: RunStatus.Succeeded, counts: { total: 1, succeeded: 1 } });
    const { connection } = await connectAs(secured.users['capture-worker']);
    const bucket = await new Objm(connection).open(stack.nats.names.importBucket);
    expect(await bucket.list()).toEqual([]);
  }, 60_000);

  it('refuses worker events from the gateway and from a worker under another worker’s name, and commands from anyone but run-service', async () => {
    const finished = { runId: backupRun.id, tenantId: CONTOSO.id, outcome: 'failed', itemCount: 0, occurredAt: new Date().toISOString() };
    const asCaptureWorker = subject(workerEventSubject(WorkerEventSubjects.runFinished, 'capture-worker'));
    const command = subject(RUN_TYPES_REGISTRY[RunType.InventorySync].subject);
    const refusals = [
      await publishAs(secured.users.gateway, asCaptureWorker, finished),
      await publishAs(secured.users['restore-worker'], asCaptureWorker, finished),
      await publishAs(secured.users.gateway, command, {}),
      await publishAs(secured.users['capture-worker'], command, {}),
      await publishAs(secured.users.notifier, subject(`evt.run.status.v1.${CONTOSO.id}`), {}),
    ];
    for (const refusal of refusals) expect(refusal[0]).toMatch(/^Permissions Violation for Publish to/i);

    // Under its own name the restore-worker may publish, but run-service refuses it a capture run.
    const asRestoreWorker = subject(workerEventSubject(WorkerEventSubjects.runFinished, 'restore-worker'));
    const { connection } = await connectAs(secured.users['restore-worker']);
    await jetstream(connection).publish(asRestoreWorker, JSON.stringify(finished));
    const rows = await waitFor(
      async () => (await stack.database.pool.query<{ reason: string }>(`SELECT reason FROM run_service.rejected_messages WHERE subject = $1`, [asRestoreWorker])).rows,
      (found) => found.length === 1,
      { what: "run-service's refusal" },
    );
    expect(rows[0].reason).toBe(`restore-worker reported on run ${backupRun.id} of type backup_set.create, which capture-worker runs`);
    expect(await runs.get(CONTOSO.id, backupRun.id)).toMatchObject({ status: RunStatus.Succeeded, counts: { total: 3, succeeded: 3 } });
  });

  it("makes the worker refuse a forged command on run-service's own user: no such run, another tenant, another directory; recorded once, not one Graph request", async () => {
    const before = emulator.journal.lastSeq;
    const command = (overrides: Partial<RunCommand>): RunCommand => ({
      runId: randomUUID(),
      tenantId: CONTOSO.id,
      tenantDirectoryId: CONTOSO.directoryId,
      type: RunType.InventorySync,
      target: {},
      scope: {},
      initiator: { userId: randomUUID(), email: OWNER },
      queuedAt: new Date().toISOString(),
      ...overrides,
    });
    const backup = { runId: backupRun.id, type: RunType.BackupSetCreate, target: backupRun.target, scope: backupRun.scope };
    const forged = [
      command({}),
      command({ ...backup, tenantId: FABRIKAM.id, tenantDirectoryId: FABRIKAM.directoryId }),
      command({ ...backup, tenantDirectoryId: FABRIKAM.directoryId }),
    ];
    const { connection } = await connectAs(secured.users['run-service']);
    const js = jetstream(connection);
    for (const value of forged) {
      await js.publish(subject(RUN_TYPES_REGISTRY[value.type].subject), JSON.stringify(value), { msgID: `forged:${randomUUID()}` });
    }
    await waitFor(
      async () => (await stack.nats.jsm.streams.info(stack.nats.names.commandStream)).state.messages,
      (left) => left === 0,
      { what: 'the forged commands terminated' },
    );
    const recorded = await waitFor(
      async () => (await stack.database.pool.query<{ reason: string; delivery_count: number }>(`SELECT reason, delivery_count FROM capture.rejected_messages WHERE reason LIKE 'command refused: not its run%' ORDER BY id`)).rows,
      (found) => found.length >= forged.length,
      { what: 'the forged commands recorded' },
    );
    expect(recorded).toHaveLength(forged.length);
    expect(recorded.map((row) => row.delivery_count)).toEqual([1, 1, 1]);
    for (const value of forged) {
      expect(recorded.filter((row) => row.reason.includes(`run ${value.runId} does not exist in tenant ${value.tenantId} (directory ${value.tenantDirectoryId})`))).toHaveLength(1);
    }
    // Not one request reached Graph (not even a token), and the genuine run was not touched.
    expect(emulator.journal.list({ sinceSeq: before })).toEqual([]);
    expect(await runs.get(CONTOSO.id, backupRun.id)).toMatchObject({ status: RunStatus.Succeeded, counts: { total: 3, succeeded: 3 } });
  });

  it('never writes a NATS password to a log (services and the server)', async () => {
    const logs = [...stack.services.map((service) => service.logFile), ...secured.servers.map((server) => join(process.cwd(), 'tmp', 'test-logs', `${server.name}.log`))];
    const passwords = [...Object.values(secured.users).map((user) => user.pass), secured.harness.pass];
    for (const file of logs) {
      const text = readFileSync(file, 'utf8');
      expect({ file, leaked: passwords.filter((password) => text.includes(password)) }).toEqual({ file, leaked: [] });
    }
    // The logs are there and were written by these processes (a test of empty files would prove nothing).
    expect(readFileSync(stack.services[0].logFile, 'utf8')).toContain('run-service ready');
  });
});
