// Idempotency-Key on the gateway's creating routes, end to end: the gateway and run-service as processes,
// real Postgres and JetStream. A client that lost an answer retries with the same key and gets the
// original answer: from the gateway's stored answer, or — when the gateway died before storing it —
// from run-service's anchor, so a retry after the first run ended still starts no second run.
import { randomUUID } from 'node:crypto';
import request from 'supertest';
import { RUN_TYPES_REGISTRY, RunStatus, RunType, TenantRole, TERMINAL_RUN_STATUSES, WorkerEventSubjects, workerEventSubject, type RunView } from '@policyvault/contracts';
import { CONTOSO, FABRIKAM, startStack, waitFor, type Stack } from '@policyvault/testing';

const REPLAYED = 'idempotent-replayed';

describe('Idempotency-Key on creating routes (gateway and run-service processes)', () => {
  let stack: Stack;
  let gatewayUrl: string;
  let owner: string;
  let admin: string;

  beforeAll(async () => {
    stack = await startStack({ services: ['run-service', 'gateway'] });
    gatewayUrl = stack.gatewayUrl;
    owner = await stack.token('owner@contoso.test');
    admin = await stack.token('admin@msp.test');
  }, 180_000);

  afterAll(async () => {
    await stack?.close();
  });

  const post = (path: string, token: string, key: string | undefined, body: object) => {
    const call = request(gatewayUrl).post(path).set('authorization', `Bearer ${token}`);
    return (key === undefined ? call : call.set('idempotency-key', key)).send(body);
  };
  const startRun = (key: string | undefined, body: object, token = owner) => post(`/api/tenants/${CONTOSO.id}/runs`, token, key, body);
  const runsOf = async (type: RunType) =>
    (await stack.database.pool.query<{ id: string; status: string }>(`SELECT id, status FROM run_service.runs WHERE type = $1 ORDER BY queued_at`, [type])).rows;
  /** What a gateway killed after run-service committed leaves behind: a claim with no answer and a lapsed lease. */
  const loseTheAnswer = (key: string) =>
    stack.database.pool.query(
      `UPDATE gateway.idempotency_keys SET response_status = NULL, response_body = NULL, response_location = NULL, locked_until = now() - interval '1 second' WHERE key = $1`,
      [key],
    );
  const endRun = async (runId: string) => {
    const occurredAt = new Date().toISOString();
    const finished = { runId, tenantId: CONTOSO.id, outcome: 'failed', itemCount: 0, error: { code: 'internal_error', message: 'ended for the test' }, occurredAt };
    await stack.nats.js.publish(stack.nats.names.subject(workerEventSubject(WorkerEventSubjects.runFinished, RUN_TYPES_REGISTRY[RunType.RestoreExecute].worker)), JSON.stringify(finished));
    return waitFor(
      async () => (await request(gatewayUrl).get(`/api/tenants/${CONTOSO.id}/runs/${runId}`).set('authorization', `Bearer ${owner}`)).body as RunView,
      (run) => TERMINAL_RUN_STATUSES.includes(run.status),
      { what: `run ${runId} to end` },
    );
  };

  it('answers the same key and body with the original answer (status, body, Location) and makes one run', async () => {
    const key = randomUUID();
    const body = { type: RunType.InventorySync, target: {}, scope: { policyTypes: ['deviceConfiguration'] } };
    const first = await startRun(key, body).expect(202);
    expect(first.headers[REPLAYED]).toBeUndefined();
    // The same body with its keys in another order is the same request.
    const again = await startRun(key, { scope: body.scope, target: {}, type: body.type }).expect(202);
    expect(again.headers[REPLAYED]).toBe('true');
    expect(again.body).toEqual(first.body);
    expect(again.headers.location).toBe(first.headers.location);
    expect(await runsOf(RunType.InventorySync)).toEqual([{ id: first.body.run.id, status: RunStatus.Queued }]);
  });

  it('answers the same key with another body 422, naming the key; a malformed key is 400', async () => {
    const key = randomUUID();
    await startRun(key, { type: RunType.DriftCheck, target: {}, scope: {} }).expect(202);
    const other = await startRun(key, { type: RunType.DriftCheck, target: { backupSetId: randomUUID() }, scope: {} }).expect(422);
    expect(other.body).toEqual({ statusCode: 422, error: 'Unprocessable Entity', message: expect.stringContaining(`Idempotency-Key ${key} was used with a different request body`) });
    const malformed = await startRun('has spaces in it', { type: RunType.DriftCheck, target: {}, scope: {} }).expect(400);
    expect(malformed.body.message).toMatch(/^Idempotency-Key: must be 1 to 255 visible ASCII characters/);
  });

  it('keys are per user: another user sending the same key starts their own request', async () => {
    const key = randomUUID();
    const body = { type: RunType.BackupSetCreate, target: { name: 'per user' }, scope: {} };
    const mine = await startRun(key, body).expect(202);
    const operator = await stack.token('operator@contoso.test');
    const theirs = await startRun(key, { ...body, target: { name: 'their own' } }, operator).expect(202);
    expect(theirs.headers[REPLAYED]).toBeUndefined();
    expect(theirs.body.run.id).not.toBe(mine.body.run.id);
  });

  it('a retry after the first live restore ended answers that restore, also when the gateway never stored its answer', async () => {
    const key = randomUUID();
    const restore = { type: RunType.RestoreExecute, target: { backupSetId: randomUUID() }, scope: {}, confirmation: { tenantName: CONTOSO.displayName } };
    const first = await startRun(key, restore).expect(202);
    const runId = first.body.run.id as string;
    await endRun(runId);

    const replayed = await startRun(key, restore).expect(202);
    expect(replayed.body).toEqual(first.body);

    // The gateway was killed after run-service committed the run, before it stored the answer: the retry
    // runs again under the claim's anchor, and run-service answers the run it started then — ended now.
    await loseTheAnswer(key);
    const retried = await startRun(key, restore).expect(202);
    expect(retried.headers[REPLAYED]).toBeUndefined();
    expect(retried.body).toMatchObject({ reused: false, run: { id: runId, status: RunStatus.Failed } });
    expect(retried.headers.location).toBe(first.headers.location);
    expect((await runsOf(RunType.RestoreExecute)).map((run) => run.id)).toEqual([runId]);

    // Without that anchor the same restore would run a second time: a new key is a new request.
    const another = await startRun(randomUUID(), restore).expect(202);
    expect(another.body.run.id).not.toBe(runId);
    expect(await runsOf(RunType.RestoreExecute)).toHaveLength(2);
  });

  it('answers 409 with Retry-After while a request with the key is still being processed', async () => {
    const key = randomUUID();
    const body = { type: RunType.BackupSetCreate, target: { name: 'in flight' }, scope: {} };
    const first = await startRun(key, body).expect(202);
    // As the claim looks while its first request is running.
    await stack.database.pool.query(`UPDATE gateway.idempotency_keys SET response_status = NULL, locked_until = now() + interval '1 minute' WHERE key = $1`, [key]);
    const busy = await startRun(key, body).expect(409);
    expect(busy.headers['retry-after']).toBe('1');
    expect(busy.body.message).toBe(`a request with Idempotency-Key ${key} is still being processed; retry once it has answered`);
    // Two at once: one runs, the other waits its turn (409) or gets the answer; never a second run.
    const concurrentKey = randomUUID();
    const concurrentBody = { type: RunType.BackupSetCreate, target: { name: 'twice at once' }, scope: {} };
    const both = await Promise.all([startRun(concurrentKey, concurrentBody), startRun(concurrentKey, concurrentBody)]);
    const answered = both.filter((response) => response.status === 202);
    expect(answered.length).toBeGreaterThanOrEqual(1);
    expect(both.every((response) => response.status === 202 || response.status === 409)).toBe(true);
    expect(new Set(answered.map((response) => response.body.run.id)).size).toBe(1);
    expect(answered[0].body.run.id).not.toBe(first.body.run.id);
  });

  it('a refused request (4xx) frees its key for a corrected body', async () => {
    const key = randomUUID();
    await startRun(key, { type: RunType.PolicyCaptureSnapshot, target: { policyId: 'not-a-uuid' }, scope: {} }).expect(400);
    await startRun(key, { type: RunType.PolicyCaptureSnapshot, target: { policyId: randomUUID() }, scope: {} }).expect(202);
  });

  it('backup schedules, members, tenants (one and a CSV) and fleet starts replay their answer; schedules and fleet runs survive a lost answer', async () => {
    // A schedule: replayed, and after a lost answer run-service's anchor answers the same schedule.
    const scheduleKey = randomUUID();
    const schedule = { name: 'Nightly', frequency: 'daily', timeOfDay: '02:00', timeZone: 'Europe/Berlin', keepLast: 7 };
    const schedulesPath = `/api/tenants/${CONTOSO.id}/backup-schedules`;
    const created = await post(schedulesPath, owner, scheduleKey, schedule).expect(201);
    expect((await post(schedulesPath, owner, scheduleKey, schedule).expect(201)).body).toEqual(created.body);
    await loseTheAnswer(scheduleKey);
    const retried = await post(schedulesPath, owner, scheduleKey, schedule).expect(201);
    expect(retried.body.id).toBe(created.body.id);
    expect(retried.headers.location).toBe(created.headers.location);
    const { rows: schedules } = await stack.database.pool.query(`SELECT id FROM run_service.backup_schedules WHERE tenant_id = $1`, [CONTOSO.id]);
    expect(schedules).toEqual([{ id: created.body.id }]);

    // A member: the retry gets the 201 it lost, not "already a member".
    const memberKey = randomUUID();
    const member = { email: `new-${randomUUID()}@contoso.test`, role: TenantRole.Reader };
    const membersPath = `/api/tenants/${CONTOSO.id}/members`;
    const added = await post(membersPath, owner, memberKey, member).expect(201);
    const addedAgain = await post(membersPath, owner, memberKey, member).expect(201);
    expect(addedAgain.body).toEqual(added.body);
    expect(addedAgain.headers.location).toBe(added.headers.location);
    await post(membersPath, owner, undefined, member).expect(409);

    // A tenant and a CSV of tenants.
    const tenantKey = randomUUID();
    const tenant = { directoryId: randomUUID(), displayName: 'Northwind' };
    const onboarded = await post('/api/tenants', admin, tenantKey, tenant).expect(201);
    const onboardedAgain = await post('/api/tenants', admin, tenantKey, tenant).expect(201);
    expect(onboardedAgain.body).toEqual(onboarded.body);
    const csvKey = randomUUID();
    const csv = `directoryId,displayName\n${randomUUID()},Tailspin\n`;
    const bulk = () => request(gatewayUrl).post('/api/tenants/bulk').set('authorization', `Bearer ${admin}`).set('idempotency-key', csvKey).set('content-type', 'text/csv').send(csv);
    const bulkFirst = await bulk().expect(200);
    expect(bulkFirst.body.created).toBe(1);
    expect((await bulk().expect(200)).body).toEqual(bulkFirst.body);

    // A fleet start: replayed; after a lost answer, the batch it recorded with its runs.
    const fleetKey = randomUUID();
    const fleet = { type: RunType.InventorySync, target: {}, scope: { policyTypes: ['compliancePolicy'] }, tenantIds: [CONTOSO.id, FABRIKAM.id] };
    const batch = await post('/api/fleet/runs', admin, fleetKey, fleet).expect(201);
    expect(batch.body.counts).toEqual({ started: 2, reused: 0, rejected: 0 });
    expect((await post('/api/fleet/runs', admin, fleetKey, fleet).expect(201)).body).toEqual(batch.body);
    await loseTheAnswer(fleetKey);
    const fleetRetried = await post('/api/fleet/runs', admin, fleetKey, fleet).expect(201);
    expect(fleetRetried.body).toEqual(batch.body);
    expect(fleetRetried.headers.location).toBe(`/api/fleet/batches/${batch.body.id}`);
  });

  it('answers the original answer from another gateway process after a restart; expired keys are purged', async () => {
    const key = randomUUID();
    const body = { type: RunType.BackupSetCreate, target: { name: 'across a restart' }, scope: {} };
    const first = await startRun(key, body).expect(202);
    const expiredKey = randomUUID();
    await startRun(expiredKey, { ...body, target: { name: 'expired' } }).expect(202);
    await stack.database.pool.query(`UPDATE gateway.idempotency_keys SET expires_at = now() - interval '1 second' WHERE key = $1`, [expiredKey]);

    const gateway = stack.services.find((service) => service.url === gatewayUrl)!;
    await gateway.kill();
    gatewayUrl = (await stack.start('gateway')).url;
    const again = await startRun(key, body).expect(202);
    expect(again.headers[REPLAYED]).toBe('true');
    expect(again.body).toEqual(first.body);
    await waitFor(
      async () => (await stack.database.pool.query(`SELECT count(*)::int AS n FROM gateway.idempotency_keys WHERE key = $1`, [expiredKey])).rows[0].n as number,
      (count) => count === 0,
      { what: 'the expired key to be purged at boot' },
    );
  });
});
