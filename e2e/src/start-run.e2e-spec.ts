// The start path end to end: HTTP → gateway → NATS → two run-service replicas → Postgres → JetStream.
import request from 'supertest';
import { RUN_COMMAND_SUBJECTS, RunStatus, RunType, type RunCommand, type RunView } from '@policyvault/contracts';
import { CONTOSO, startStack, waitFor, type Stack } from '@policyvault/testing';

describe('starting runs through the gateway (two run-service replicas)', () => {
  let stack: Stack;
  let owner: string;

  beforeAll(async () => {
    stack = await startStack({ services: ['run-service', 'run-service', 'gateway'] });
    owner = await stack.token('owner@contoso.test');
  }, 180_000);

  afterAll(async () => {
    await stack?.close();
  });

  const runs = () => request(stack.gatewayUrl).post(`/api/tenants/${CONTOSO.id}/runs`).set('authorization', `Bearer ${owner}`);

  it('turns 500 concurrent identical starts into exactly one run; every response carries its id', async () => {
    const body = { type: RunType.BackupSetCreate, target: { name: 'Before the change window' }, scope: { policyTypes: ['compliancePolicy', 'deviceConfiguration'] } };
    const responses = await Promise.all(Array.from({ length: 500 }, () => runs().send(body)));

    expect(responses.map((response) => response.status).sort()).toEqual([...Array(499).fill(200), 202].sort());
    const ids = new Set(responses.map((response) => response.body.run.id));
    expect(ids.size).toBe(1);
    const [runId] = [...ids];
    const created = responses.find((response) => response.status === 202)!;
    expect(created.body.reused).toBe(false);
    expect(created.headers.location).toBe(`/api/tenants/${CONTOSO.id}/runs/${runId}`);
    expect(responses.filter((response) => response.body.reused === true)).toHaveLength(499);

    const { rows } = await stack.database.pool.query(`SELECT id FROM run_service.runs WHERE type = 'backup_set.create'`);
    expect(rows).toEqual([{ id: runId }]);
    const subject = stack.nats.names.subject(RUN_COMMAND_SUBJECTS[RunType.BackupSetCreate]);
    const command = await waitFor(
      () => stack.nats.jsm.streams.getMessage(stack.nats.names.commandStream, { last_by_subj: subject }),
      (message) => Boolean(message),
      { what: 'the command on the stream' },
    );
    expect(command!.json<RunCommand>()).toMatchObject({ runId, tenantId: CONTOSO.id, tenantDirectoryId: CONTOSO.directoryId, initiator: { email: 'owner@contoso.test' } });
    const { state } = await stack.nats.jsm.streams.info(stack.nats.names.commandStream);
    expect(state.messages).toBe(1);

    // Once that run has ended, the same start creates a new run.
    const events = stack.nats.names;
    const occurredAt = new Date().toISOString();
    await stack.nats.js.publish(events.subject('evt.worker.run-finished.v1.capture-worker'), JSON.stringify({ runId, tenantId: CONTOSO.id, outcome: 'failed', itemCount: 0, error: { code: 'internal_error', message: 'stopped for the test' }, occurredAt }));
    await waitFor(
      async () => (await request(stack.gatewayUrl).get(`/api/tenants/${CONTOSO.id}/runs/${runId}`).set('authorization', `Bearer ${owner}`)).body as RunView,
      (run) => run.status === RunStatus.Failed,
      { what: 'the run to fail' },
    );
    const again = await runs().send(body);
    expect(again.status).toBe(202);
    expect(again.body.run.id).not.toBe(runId);
  });

  it('answers "queued" with no worker running, and lists, reads and pages runs', async () => {
    const started = await runs().send({ type: RunType.InventorySync, target: {}, scope: {} }).expect(202);
    expect(started.body.run).toMatchObject({ status: RunStatus.Queued, type: RunType.InventorySync, tenantId: CONTOSO.id });
    const list = await request(stack.gatewayUrl)
      .get(`/api/tenants/${CONTOSO.id}/runs?type=inventory.sync&status=queued&limit=1`)
      .set('authorization', `Bearer ${owner}`)
      .expect(200);
    expect(list.body.items.map((run: RunView) => run.id)).toEqual([started.body.run.id]);
    const items = await request(stack.gatewayUrl)
      .get(`/api/tenants/${CONTOSO.id}/runs/${started.body.run.id}/items`)
      .set('authorization', `Bearer ${owner}`)
      .expect(200);
    expect(items.body).toEqual({ items: [], nextCursor: null });
  });
});
