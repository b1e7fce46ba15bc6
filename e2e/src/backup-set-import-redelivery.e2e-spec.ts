// An import whose worker is killed (SIGKILL) mid-archive: the command comes back to the other replica after the
// command ack wait, which finds the same upload and finishes the first delivery's work — one backup set, each
// object once, every file one item, the upload deleted at the end.
import { readFileSync } from 'node:fs';
import { strToU8, zipSync, type Zippable } from 'fflate';
import { Objm } from '@nats-io/obj';
import { connect } from '@nats-io/transport-node';
import { RunStatus, jetStreamNames } from '@policyvault/contracts';
import { startGraphEmulator, type RunningGraphEmulator } from '@policyvault/graph-emulator';
import { CONTOSO, NATS_URL, gatewayRuns, graphEmulatorEnv, startStack, waitFor, type Stack } from '@policyvault/testing';

const FILES = 1500;

describe('an import redelivered after its worker was killed', () => {
  let emulator: RunningGraphEmulator;
  let stack: Stack;

  beforeAll(async () => {
    emulator = await startGraphEmulator({ port: 0, seedDemoTenants: false });
    emulator.admin.resetTenant(CONTOSO.directoryId, { displayName: 'Contoso', seed: { policiesPerType: 0, counts: {} } });
    stack = await startStack({ services: ['run-service', 'gateway', 'capture-worker', 'capture-worker'], env: graphEmulatorEnv(emulator.url) });
  }, 120_000);

  afterAll(async () => {
    await stack?.close();
    await emulator?.close();
  });

  const query = async <T>(sql: string, parameters: unknown[]) => (await stack.database.pool.query(sql, parameters)).rows as T[];

  it('finishes the first delivery’s set on the other replica: one set, each object once, the upload deleted', async () => {
    const files: Zippable = {};
    for (let index = 0; index < FILES; index += 1) {
      files[`Device Configurations/Profile ${index}.json`] = strToU8(JSON.stringify({ '@odata.type': '#microsoft.graph.windows10GeneralConfiguration', displayName: `Profile ${index}`, index }));
    }
    const token = await stack.token('operator@contoso.test');
    const response = await fetch(`${stack.gatewayUrl}/api/tenants/${CONTOSO.id}/imports?name=Redelivered`, {
      method: 'POST',
      body: zipSync(files) as BodyInit,
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/zip' },
    });
    expect(response.status).toBe(202);
    const runId = ((await response.json()) as { run: { id: string } }).run.id;
    const itemsOfRun = () =>
      query<{ count: string }>(`SELECT count(*) FROM capture.backup_items i JOIN capture.backup_sets s ON s.id = i.backup_set_id WHERE s.created_by_run_id = $1`, [runId]);
    await waitFor(async () => Number((await itemsOfRun())[0].count), (count) => count >= 50, { what: 'the first items imported', timeoutMs: 60_000 });
    const holder = stack.services.find((service) => service.name.startsWith('capture-worker') && readFileSync(service.logFile, 'utf8').includes(runId))!;
    await holder.kill();
    const before = Number((await itemsOfRun())[0].count);
    expect(before).toBeLessThan(FILES);

    const run = await gatewayRuns(stack.gatewayUrl, token).waitUntilTerminal(CONTOSO.id, runId, { timeoutMs: 150_000 });
    expect(run).toMatchObject({ status: RunStatus.Succeeded, counts: { total: FILES, succeeded: FILES, failed: 0 }, summary: { imported: FILES } });
    expect(await query(`SELECT id FROM capture.backup_sets WHERE created_by_run_id = $1`, [runId])).toHaveLength(1);
    const policies = await query<{ policy_id: string }>(
      `SELECT i.policy_id FROM capture.backup_items i JOIN capture.backup_sets s ON s.id = i.backup_set_id WHERE s.created_by_run_id = $1`,
      [runId],
    );
    expect(new Set(policies.map((row) => row.policy_id)).size).toBe(FILES);
    // One version per object: the second delivery stored nothing twice.
    const versions = await query<{ count: string }>(`SELECT count(*) FROM capture.policy_versions WHERE captured_by_run_id = $1`, [runId]);
    expect(Number(versions[0].count)).toBe(FILES);
    const connection = await connect({ servers: NATS_URL });
    try {
      const bucket = await new Objm(connection).open(jetStreamNames(stack.env.NATS_NAMESPACE).importBucket);
      expect(await bucket.list()).toEqual([]);
    } finally {
      await connection.close();
    }
  }, 300_000);
});
