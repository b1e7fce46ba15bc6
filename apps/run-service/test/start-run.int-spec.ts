import { randomUUID } from 'node:crypto';
import { firstValueFrom } from 'rxjs';
import { RunRpc, RunStatus, RunType, RUN_COMMAND_SUBJECTS, type RunCommand, type RunStatusEvent, type RunView } from '@policyvault/contracts';
import { waitFor } from '@policyvault/testing';
import { createRunServiceFixture, startRequest, TENANT_ID, type RunServiceFixture } from './run-service.fixture.js';

describe('run-service start path (two replicas, real Postgres and JetStream)', () => {
  let fixture: RunServiceFixture;

  beforeAll(async () => {
    fixture = await createRunServiceFixture(2);
  });

  afterAll(async () => {
    await fixture?.close();
  });

  /** The messages of a stream that concern a run (every message read: the streams of one fixture are small). */
  async function onStream<T extends { runId: string }>(stream: string, runId: string): Promise<T[]> {
    const info = await fixture.nats.jsm.streams.info(stream);
    const messages: T[] = [];
    for (let sequence = info.state.first_seq; sequence <= info.state.last_seq && info.state.messages > 0; sequence += 1) {
      const message = await fixture.nats.jsm.streams.getMessage(stream, { seq: sequence }).catch(() => null);
      if (message) messages.push(message.json<T>());
    }
    return messages.filter((message) => message.runId === runId);
  }

  const commandsFor = (runId: string) => onStream<RunCommand>(fixture.nats.names.commandStream, runId);

  it('turns 500 concurrent identical starts into exactly one run, and every reply carries its id', async () => {
    const request = startRequest({ type: RunType.BackupSetCreate, target: { name: 'Nightly' }, scope: { policyTypes: ['deviceConfiguration'] } });
    const replies = await Promise.all(Array.from({ length: 500 }, () => fixture.start(request)));

    const ids = new Set(replies.map((reply) => reply.run.id));
    expect(ids.size).toBe(1);
    expect(replies.filter((reply) => !reply.reused)).toHaveLength(1);
    const runId = [...ids][0];
    const { rows } = await fixture.database.pool.query(`SELECT id, status FROM run_service.runs WHERE dedupe_key LIKE $1`, [`${TENANT_ID}|backup_set.create|%`]);
    expect(rows).toEqual([{ id: runId, status: 'queued' }]);
    const outbox = await fixture.database.pool.query(`SELECT message_id FROM run_service.outbox WHERE payload->>'runId' = $1 ORDER BY message_id`, [runId]);
    expect(outbox.rows.map((row) => row.message_id)).toEqual([`run:${runId}:command`, `run:${runId}:status:queued`]);
    // The command is on the stream exactly once.
    const commands = await waitFor(() => commandsFor(runId), (found) => found.length > 0, { what: 'the command on the stream' });
    expect(commands).toHaveLength(1);
    expect(commands[0]).toMatchObject({ runId, tenantId: TENANT_ID, type: RunType.BackupSetCreate, target: { name: 'Nightly' } });
  });

  it('answers "queued" with no worker running, with the command waiting on the stream', async () => {
    const reply = await fixture.start(startRequest());
    expect(reply.reused).toBe(false);
    expect(reply.run.status).toBe(RunStatus.Queued);
    const subject = fixture.nats.names.subject(RUN_COMMAND_SUBJECTS[RunType.PolicyCaptureSnapshot]);
    const message = await waitFor(
      () => fixture.nats.jsm.streams.getMessage(fixture.nats.names.commandStream, { last_by_subj: subject }),
      (found) => found?.json<RunCommand>().runId === reply.run.id,
      { what: 'the command on the stream' },
    );
    expect(message?.header.get('Nats-Msg-Id')).toBe(`run:${reply.run.id}:command`);
  });

  it('publishes each start batch\'s rows once committed: both on the stream as written, both marked sent once', async () => {
    const replies = await Promise.all(
      Array.from({ length: 40 }, (_, index) => fixture.start(startRequest({ type: RunType.BackupSetCreate, target: { name: `batch ${index}` } }))),
    );
    const runIds = replies.map((reply) => reply.run.id);
    const rows = await waitFor(
      async () =>
        (
          await fixture.database.pool.query(
            `SELECT sent_at IS NOT NULL AS sent, attempts FROM run_service.outbox WHERE payload->>'runId' = ANY($1)`,
            [runIds],
          )
        ).rows as { sent: boolean; attempts: number }[],
      (found) => found.length === runIds.length * 2 && found.every((row) => row.sent),
      { what: 'every outbox row of the batch marked sent' },
    );
    expect(rows.map((row) => row.attempts)).toEqual(rows.map(() => 1));
    for (const reply of replies) {
      const runId = reply.run.id;
      const commands = await commandsFor(runId);
      const events = await onStream<RunStatusEvent>(fixture.nats.names.runStatusStream, runId);
      expect(commands).toHaveLength(1);
      expect(events).toHaveLength(1);
      const { rows: stored } = await fixture.database.pool.query(`SELECT message_id, payload FROM run_service.outbox WHERE payload->>'runId' = $1`, [runId]);
      const storedPayload = (messageId: string) => stored.find((row) => row.message_id === messageId)?.payload;
      expect(commands[0]).toEqual(storedPayload(`run:${runId}:command`));
      expect(events[0]).toEqual(storedPayload(`run:${runId}:status:queued`));
      // Both carry the run's queued_at, the instant its transaction wrote it (not when the batch was built before it).
      expect(commands[0].queuedAt).toBe(reply.run.queuedAt);
      expect(events[0]).toMatchObject({ status: RunStatus.Queued, occurredAt: reply.run.queuedAt });
    }
  });

  it('reuses the active run for the same work in any order, and starts a new one for other work', async () => {
    const policyIds = [randomUUID(), randomUUID()];
    const first = await fixture.start(startRequest({ type: RunType.BackupSetAddPolicies, target: { backupSetId: TENANT_ID }, scope: { policyIds } }));
    const same = await fixture.start(
      startRequest({ type: RunType.BackupSetAddPolicies, target: { backupSetId: TENANT_ID }, scope: { policyIds: [...policyIds].reverse(), includeFoundations: false } }),
    );
    const other = await fixture.start(
      startRequest({ type: RunType.BackupSetAddPolicies, target: { backupSetId: TENANT_ID }, scope: { policyIds: [policyIds[0]] } }),
    );
    expect(same).toMatchObject({ reused: true, run: { id: first.run.id } });
    expect(other.reused).toBe(false);
    expect(other.run.id).not.toBe(first.run.id);
  });

  it('starts a new run once the previous one with the same key has ended', async () => {
    const request = startRequest();
    const first = await fixture.start(request);
    const occurredAt = new Date().toISOString();
    await fixture.publishWorkerEvent('runStarted', { runId: first.run.id, tenantId: TENANT_ID, occurredAt });
    await fixture.publishWorkerEvent('runFinished', { runId: first.run.id, tenantId: TENANT_ID, outcome: 'completed', itemCount: 0, occurredAt });
    await waitFor(
      () => firstValueFrom(fixture.rpc.send<RunView>(RunRpc.get, { tenantId: TENANT_ID, runId: first.run.id })),
      (run) => run.status === RunStatus.Succeeded,
      { what: 'the first run to succeed' },
    );
    const second = await fixture.start(request);
    expect(second.reused).toBe(false);
    expect(second.run.id).not.toBe(first.run.id);
  });

  it('rejects invalid starts with the offending field named', async () => {
    await expect(fixture.start(startRequest({ target: { policyId: 'not-a-uuid' } }))).rejects.toMatchObject({
      code: 'validation_failed',
      message: expect.stringContaining('target.policyId'),
    });
    await expect(fixture.start(startRequest({ scope: { unexpected: true } }))).rejects.toMatchObject({
      code: 'validation_failed',
      message: expect.stringContaining('scope.unexpected'),
    });
    await expect(
      firstValueFrom(fixture.rpc.send(RunRpc.start, { ...startRequest(), type: 'delete.everything' })),
    ).rejects.toMatchObject({ code: 'validation_failed', message: expect.stringContaining('type') });
  });

  it("never shows one tenant's run through another tenant: other_tenant names the tenant that holds it, not_found none", async () => {
    const reply = await fixture.start(startRequest());
    const otherTenant = { code: 'other_tenant', message: 'run not found', tenantId: TENANT_ID };
    await expect(firstValueFrom(fixture.rpc.send(RunRpc.get, { tenantId: randomUUID(), runId: reply.run.id }))).rejects.toEqual(otherTenant);
    await expect(firstValueFrom(fixture.rpc.send(RunRpc.listItems, { tenantId: randomUUID(), runId: reply.run.id }))).rejects.toEqual(otherTenant);
    await expect(firstValueFrom(fixture.rpc.send(RunRpc.get, { tenantId: TENANT_ID, runId: randomUUID() }))).rejects.toEqual({ code: 'not_found', message: 'run not found' });
    const page = await firstValueFrom(fixture.rpc.send<{ items: RunView[] }>(RunRpc.list, { tenantId: randomUUID() }));
    expect(page.items).toEqual([]);
  });

  it('lists a tenant\'s runs by initiator (case-insensitive) and by when they were queued', async () => {
    const tenantId = randomUUID();
    const start = (email: string) => fixture.start(startRequest({ tenantId, initiator: { userId: randomUUID(), email } }));
    const first = await start('alice@contoso.test');
    const second = await start('bob@contoso.test');
    const third = await start('Alice@Contoso.test');
    await fixture.database.pool.query(`UPDATE run_service.runs SET queued_at = $2 WHERE id = $1`, [first.run.id, '2026-11-01T10:00:00Z']);
    await fixture.database.pool.query(`UPDATE run_service.runs SET queued_at = $2 WHERE id = $1`, [second.run.id, '2026-11-02T10:00:00Z']);
    await fixture.database.pool.query(`UPDATE run_service.runs SET queued_at = $2 WHERE id = $1`, [third.run.id, '2026-11-03T10:00:00Z']);
    const list = async (filters: Record<string, string>) =>
      (await firstValueFrom(fixture.rpc.send<{ items: RunView[] }>(RunRpc.list, { tenantId, ...filters }))).items.map((run) => run.id);

    expect(await list({ initiator: 'ALICE@contoso.test' })).toEqual([third.run.id, first.run.id]);
    expect(await list({ queuedFrom: '2026-11-02T10:00:00Z' })).toEqual([third.run.id, second.run.id]);
    expect(await list({ queuedFrom: '2026-11-01T12:00:00Z', queuedTo: '2026-11-03T10:00:00Z' })).toEqual([second.run.id]);
    expect(await list({ initiator: 'alice@contoso.test', queuedTo: '2026-11-02T00:00:00Z' })).toEqual([first.run.id]);
    await expect(firstValueFrom(fixture.rpc.send(RunRpc.list, { tenantId, initiator: 'not an address' }))).rejects.toMatchObject({
      code: 'validation_failed',
      message: expect.stringContaining('initiator'),
    });
    await expect(firstValueFrom(fixture.rpc.send(RunRpc.list, { tenantId, queuedFrom: 'yesterday' }))).rejects.toMatchObject({
      code: 'validation_failed',
      message: expect.stringContaining('queuedFrom'),
    });
  });
});
