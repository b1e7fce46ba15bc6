// MSP operations on the directory, through the gateway and run-service processes (dist/), with the
// Graph emulator as Entra's authority (OpenID discovery of verified domains): administrators onboard
// tenants (one, or a CSV), every onboarding starts an access check run, tenants carry health from
// the latest check, owners and administrators manage members under the last-owner rule, and a
// removed tenant refuses starts and has its schedules paused.
import { randomUUID } from 'node:crypto';
import {
  BackupScheduleRpc,
  DEMO_GRAPH_APP,
  DirectoryRole,
  RunStatus,
  RunType,
  TenantRole,
  WorkerEventSubjects,
  workerEventSubject,
  type BackupScheduleView,
  type DispatchSchedulesReply,
  type RunView,
} from '@policyvault/contracts';
import { startGraphEmulator, type RunningGraphEmulator } from '@policyvault/graph-emulator';
import { CONTOSO, FABRIKAM, connectNatsRpc, startStack, waitFor, type NatsRpc, type Stack } from '@policyvault/testing';

const ADMIN = 'admin@msp.test';
const NORTHWIND = { directoryId: 'a0c1e2f3-0000-4000-8000-00000000aa01', domain: 'northwind.example' };
const WOODGROVE = { directoryId: 'a0c1e2f3-0000-4000-8000-00000000aa02', domain: 'woodgrove.example' };
const TAILSPIN = { directoryId: 'a0c1e2f3-0000-4000-8000-00000000aa03', domain: 'tailspin.example' };
const REDIRECT = 'https://msp.example/consented';

interface Answer {
  status: number;
  headers: Headers;
  // JSON answers of many shapes, read field by field; the assertions say what each must be.
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  body: Record<string, any>;
}

describe('MSP directory: onboarding, removal, members (gateway + run-service processes, emulator as authority)', () => {
  let emulator: RunningGraphEmulator;
  let stack: Stack;
  let rpc: NatsRpc;
  const tokens: Record<string, string> = {};

  beforeAll(async () => {
    emulator = await startGraphEmulator({ port: 0, demoSeed: { policiesPerType: 1 } });
    for (const tenant of [NORTHWIND, WOODGROVE, TAILSPIN]) {
      emulator.admin.resetTenant(tenant.directoryId, { seed: false });
      emulator.admin.verifyDomain(tenant.directoryId, tenant.domain);
    }
    stack = await startStack({
      services: ['run-service', 'gateway'],
      env: { SCHEDULER_CLOCK: 'manual', GRAPH_AUTHORITY_HOST: emulator.url, ADMIN_CONSENT_REDIRECT_URI: REDIRECT },
    });
    rpc = await connectNatsRpc(stack.nats.namespace);
    for (const email of [ADMIN, 'owner@contoso.test', 'operator@contoso.test', 'reader@contoso.test', 'owner@fabrikam.test', 'stranger@nowhere.test']) {
      tokens[email] = await stack.token(email);
    }
  }, 90_000);

  afterAll(async () => {
    await rpc?.close();
    await stack?.close();
    await emulator?.close();
  });

  async function api(method: string, path: string, email: string, body?: object | string, contentType?: string): Promise<Answer> {
    tokens[email] ??= await stack.token(email);
    const text = typeof body === 'string' ? body : body === undefined ? undefined : JSON.stringify(body);
    const response = await fetch(`${stack.gatewayUrl}${path}`, {
      method: method.toUpperCase(),
      headers: { authorization: `Bearer ${tokens[email]}`, ...(text !== undefined ? { 'content-type': contentType ?? 'application/json' } : {}) },
      body: text,
    });
    const answer = await response.text();
    return { status: response.status, headers: response.headers, body: answer ? JSON.parse(answer) : {} };
  }
  const messageOf = (answer: Answer) => [answer.body.message].flat().join('\n');

  describe('onboarding', () => {
    it('onboards by a verified domain: the tenant, the admin-consent link and a queued access check, then health from its summary', async () => {
      const created = await api('post', '/api/tenants', ADMIN, { domain: NORTHWIND.domain.toUpperCase(), displayName: ' Northwind ', tags: ['gold', 'eu', 'gold'] });
      expect(created.status).toBe(201);
      const tenant = created.body.tenant;
      expect(tenant).toEqual({
        id: expect.any(String),
        displayName: 'Northwind',
        directoryId: NORTHWIND.directoryId,
        role: TenantRole.Owner,
        tags: ['gold', 'eu'],
        disabledAt: null,
        createdAt: expect.any(String),
        health: null,
      });
      expect(created.headers.get('location')).toBe(`/api/tenants/${tenant.id}`);
      const consent = new URL(created.body.adminConsentUrl);
      expect(`${consent.origin}${consent.pathname}`).toBe(`${emulator.url}/${NORTHWIND.directoryId}/adminconsent`);
      expect(Object.fromEntries(consent.searchParams)).toEqual({ client_id: DEMO_GRAPH_APP.clientId, redirect_uri: REDIRECT });
      const run = created.body.accessCheckRun as RunView;
      expect(run).toMatchObject({ type: RunType.TenantVerifyAccess, tenantId: tenant.id, status: RunStatus.Queued, initiator: { email: ADMIN } });

      const runs = await api('get', `/api/tenants/${tenant.id}/runs?type=${RunType.TenantVerifyAccess}`, ADMIN);
      expect(runs.body.items.map((item: RunView) => item.id)).toEqual([run.id]);

      // The access check ends (as capture-worker reports it): the tenant shows its health.
      const summary = { health: 'missing_permissions', missingPermissions: ['DeviceManagementApps.Read.All'], grantedPermissions: ['DeviceManagementConfiguration.Read.All'] };
      await stack.nats.js.publish(
        stack.nats.names.subject(workerEventSubject(WorkerEventSubjects.runFinished, 'capture-worker')),
        JSON.stringify({ runId: run.id, tenantId: tenant.id, outcome: 'completed', itemCount: 0, summary, occurredAt: new Date().toISOString() }),
      );
      const health = await waitFor(async () => (await api('get', `/api/tenants/${tenant.id}`, ADMIN)).body.health, (value) => value !== null, { what: 'tenant health' });
      expect(health).toEqual({ status: 'missing_permissions', missingPermissions: ['DeviceManagementApps.Read.All'], runId: run.id, checkedAt: expect.any(String) });
      const listed = await api('get', '/api/tenants?limit=200', ADMIN);
      expect(listed.body.items.find((item: { id: string }) => item.id === tenant.id).health).toEqual(health);
    });

    it('onboards by directory id', async () => {
      const created = await api('post', '/api/tenants', ADMIN, { directoryId: WOODGROVE.directoryId.toUpperCase(), displayName: 'Woodgrove' });
      expect(created).toMatchObject({ status: 201, body: { tenant: { directoryId: WOODGROVE.directoryId, tags: [] }, accessCheckRun: { status: RunStatus.Queued } } });
    });

    it.each(['owner@contoso.test', 'operator@contoso.test', 'reader@contoso.test', 'stranger@nowhere.test'])('refuses %s with 403 (administrators only)', async (email) => {
      const single = await api('post', '/api/tenants', email, { directoryId: randomUUID(), displayName: 'X' });
      const bulk = await api('post', '/api/tenants/bulk', email, `directoryId,displayName\n${randomUUID()},X\n`, 'text/csv');
      for (const answer of [single, bulk]) {
        expect(answer).toMatchObject({ status: 403, body: { message: expect.stringMatching(/needs the MSP administrator directory role \(admin\)/) } });
      }
    });

    it.each([
      [{ directoryId: 'not-a-guid', displayName: 'X' }, 400, 'directoryId: must be a UUID'],
      [{ domain: 'not a domain', displayName: 'X' }, 400, 'domain: must be a domain name such as contoso.onmicrosoft.com'],
      [{ displayName: 'X' }, 400, 'body: directoryId or domain is required'],
      [{ directoryId: randomUUID(), domain: NORTHWIND.domain, displayName: 'X' }, 400, 'body: give either directoryId or domain, not both'],
      [{ directoryId: randomUUID(), displayName: '   ' }, 400, 'displayName: must not be blank'],
      [{ directoryId: randomUUID(), displayName: 'X', tags: ['a;b'] }, 400, 'tags: each tag must be'],
      [{ directoryId: randomUUID(), displayName: 'X', region: 'eu' }, 400, 'region: property region should not exist'],
      [{ domain: 'nobody.example', displayName: 'X' }, 404, 'domain: no Entra directory has verified nobody.example'],
      [{ directoryId: CONTOSO.directoryId, displayName: 'Contoso again' }, 409, `directoryId: a tenant with directory id ${CONTOSO.directoryId} exists`],
      [{ domain: CONTOSO.verifiedDomain, displayName: 'Contoso again' }, 409, `directoryId: a tenant with directory id ${CONTOSO.directoryId} exists`],
    ])('answers %j with %i', async (body, status, message) => {
      const answer = await api('post', '/api/tenants', ADMIN, body);
      expect(answer.status).toBe(status);
      expect(messageOf(answer)).toContain(message);
    });

    it('onboards a CSV with mixed rows, answering per line; each created tenant gets its access check', async () => {
      const fresh = randomUUID();
      const csv = [
        'domain,directoryId,displayName,tags',
        `${TAILSPIN.domain},,Tailspin,silver;us`,
        `,${fresh},"Fresh, Inc.",`,
        'nobody.example,,Nobody,',
        `,${CONTOSO.directoryId},Contoso again,`,
        `,${fresh},Fresh twice,`,
        `,${randomUUID()},Bad tags,a,b`,
        `,not-a-guid,Bad id,`,
        '',
      ].join('\r\n');
      const answer = await api('post', '/api/tenants/bulk', ADMIN, csv, 'text/csv');
      expect(answer.status).toBe(200);
      expect(answer.body).toMatchObject({ created: 2, failed: 5 });
      const byLine = Object.fromEntries((answer.body.rows as { line: number }[]).map((row) => [row.line, row]));
      expect(byLine[2]).toMatchObject({ status: 'created', result: { tenant: { directoryId: TAILSPIN.directoryId, tags: ['silver', 'us'] }, accessCheckRun: { type: RunType.TenantVerifyAccess } } });
      expect(byLine[3]).toMatchObject({ status: 'created', result: { tenant: { directoryId: fresh, displayName: 'Fresh, Inc.' } } });
      expect(byLine[4]).toMatchObject({ status: 'error', error: { statusCode: 404 } });
      expect(byLine[5]).toMatchObject({ status: 'error', error: { statusCode: 409 } });
      expect(byLine[6]).toMatchObject({ status: 'error', error: { statusCode: 409 } });
      expect(byLine[7]).toMatchObject({ status: 'error', error: { statusCode: 400, message: 'row: 5 fields where the header names 4' } });
      expect(byLine[8]).toMatchObject({ status: 'error', error: { statusCode: 400, message: 'directoryId: must be a UUID' } });
    });

    it('refuses a bulk body that is not a CSV of tenants as a whole (400)', async () => {
      expect(messageOf(await api('post', '/api/tenants/bulk', ADMIN, { rows: [] }))).toBe('body: must be sent as Content-Type: text/csv');
      expect(messageOf(await api('post', '/api/tenants/bulk', ADMIN, 'name,domain\nA,a.example\n', 'text/csv'))).toMatch(/unknown CSV column "name"/);
      const tooMany = `directoryId,displayName\n${Array.from({ length: 501 }, () => `${randomUUID()},X`).join('\n')}`;
      expect(messageOf(await api('post', '/api/tenants/bulk', ADMIN, tooMany, 'text/csv'))).toBe('body: at most 500 rows per request; this CSV has 501');
    });
  });

  describe('who sees what', () => {
    it('lists every tenant for an administrator (as owner, paged by name) and only their own for others', async () => {
      const all: { displayName: string; role: string }[] = [];
      let cursor: string | null = null;
      do {
        const page: Answer = await api('get', `/api/tenants?limit=2${cursor ? `&cursor=${cursor}` : ''}`, ADMIN);
        expect(page.status).toBe(200);
        all.push(...page.body.items);
        cursor = page.body.nextCursor;
      } while (cursor);
      const names = all.map((tenant) => tenant.displayName);
      expect(names).toEqual(expect.arrayContaining(['Contoso', 'Fabrikam', 'Northwind', 'Woodgrove', 'Tailspin']));
      expect(names).toEqual([...names].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0)));
      expect(new Set(all.map((tenant) => tenant.role))).toEqual(new Set([TenantRole.Owner]));

      const reader = await api('get', '/api/tenants', 'reader@contoso.test');
      expect(reader.body).toEqual({
        items: [{ id: CONTOSO.id, displayName: 'Contoso', directoryId: CONTOSO.directoryId, role: TenantRole.Reader, tags: [], disabledAt: null, createdAt: expect.any(String), health: null }],
        nextCursor: null,
      });
      expect((await api('get', '/api/tenants?cursor=bogus', ADMIN)).status).toBe(400);
      expect((await api('get', `/api/tenants/${FABRIKAM.id}`, 'owner@contoso.test')).status).toBe(403);
      expect(await api('get', `/api/tenants/${FABRIKAM.id}`, ADMIN)).toMatchObject({ status: 200, body: { id: FABRIKAM.id, role: TenantRole.Owner } });
    });

    it('answers GET /api/me with the caller, their directory role and memberships', async () => {
      expect((await api('get', '/api/me', ADMIN)).body).toEqual({ userId: '5d1b7a10-0000-4000-8000-000000000009', email: ADMIN, displayName: 'MSP Admin', directoryRole: DirectoryRole.Admin, memberships: [] });
      expect((await api('get', '/api/me', 'reader@contoso.test')).body).toMatchObject({
        directoryRole: null,
        memberships: [{ tenantId: CONTOSO.id, displayName: 'Contoso', directoryId: CONTOSO.directoryId, role: TenantRole.Reader, disabledAt: null }],
      });
      expect((await api('get', '/api/me', 'stranger@nowhere.test')).body).toEqual({ userId: null, email: 'stranger@nowhere.test', displayName: null, directoryRole: null, memberships: [] });
    });

    it('lets owners and administrators rename and tag a tenant; others 403', async () => {
      expect(await api('patch', `/api/tenants/${CONTOSO.id}`, 'owner@contoso.test', { tags: ['gold'] })).toMatchObject({ status: 200, body: { tags: ['gold'], displayName: 'Contoso' } });
      expect(await api('patch', `/api/tenants/${CONTOSO.id}`, ADMIN, { tags: [] })).toMatchObject({ status: 200, body: { tags: [] } });
      expect((await api('patch', `/api/tenants/${CONTOSO.id}`, 'operator@contoso.test', { tags: ['x'] })).status).toBe(403);
      expect((await api('patch', `/api/tenants/${CONTOSO.id}`, 'owner@fabrikam.test', { tags: ['x'] })).status).toBe(403);
      expect(messageOf(await api('patch', `/api/tenants/${CONTOSO.id}`, 'owner@contoso.test', {}))).toBe('body: must change at least one field');
    });
  });

  describe('members', () => {
    const members = `/api/tenants/${CONTOSO.id}/members`;

    it.each([
      ['owner@contoso.test', 201],
      [ADMIN, 201],
      ['operator@contoso.test', 403],
      ['reader@contoso.test', 403],
      ['owner@fabrikam.test', 403],
    ])('as %s: list, add, change and remove members → %i', async (email, expected) => {
      const newcomer = `member-${randomUUID().slice(0, 8)}@msp.example`;
      const listed = await api('get', members, email);
      const added = await api('post', members, email, { email: newcomer.toUpperCase(), role: TenantRole.Reader, displayName: 'New Colleague' });
      expect(added.status).toBe(expected);
      if (expected === 403) {
        expect(listed.status).toBe(403);
        const someone = (await api('get', members, 'owner@contoso.test')).body.items[0].userId;
        expect((await api('patch', `${members}/${someone}`, email, { role: TenantRole.Owner })).status).toBe(403);
        expect((await api('delete', `${members}/${someone}`, email)).status).toBe(403);
        return;
      }
      expect(listed.status).toBe(200);
      expect(added.body).toEqual({ userId: expect.any(String), email: newcomer, displayName: 'New Colleague', role: TenantRole.Reader, addedAt: expect.any(String) });
      expect(added.headers.get('location')).toBe(`${members}/${added.body.userId}`);
      // The new user can sign in at once and sees the tenant.
      expect((await api('get', '/api/me', newcomer)).body.memberships).toEqual([expect.objectContaining({ tenantId: CONTOSO.id, role: TenantRole.Reader })]);
      expect((await api('post', members, email, { email: newcomer, role: TenantRole.Operator })).status).toBe(409);
      expect(await api('patch', `${members}/${added.body.userId}`, email, { role: TenantRole.Operator })).toMatchObject({ status: 200, body: { role: TenantRole.Operator } });
      expect((await api('get', `/api/tenants/${CONTOSO.id}/runs`, newcomer)).status).toBe(200);
      expect((await api('delete', `${members}/${added.body.userId}`, email)).status).toBe(204);
      expect((await api('get', `/api/tenants/${CONTOSO.id}/runs`, newcomer)).status).toBe(403);
      expect((await api('delete', `${members}/${added.body.userId}`, email)).status).toBe(404);
    });

    it('refuses malformed member input (400)', async () => {
      expect(messageOf(await api('post', members, ADMIN, { email: 'nobody', role: TenantRole.Reader }))).toContain('email: must be an email');
      expect(messageOf(await api('post', members, ADMIN, { email: 'a@b.example', role: DirectoryRole.Admin }))).toContain('role: must be one of the following values');
      expect(messageOf(await api('patch', `${members}/42`, ADMIN, { role: TenantRole.Reader }))).toBe('userId: must be a UUID');
    });

    it('never removes or demotes the last owner (409), also when two owners are demoted at once', async () => {
      const owner = (await api('get', members, ADMIN)).body.items.find((member: { email: string }) => member.email === 'owner@contoso.test');
      expect(messageOf(await api('patch', `${members}/${owner.userId}`, ADMIN, { role: TenantRole.Operator }))).toMatch(/last owner/);
      expect((await api('delete', `${members}/${owner.userId}`, 'owner@contoso.test')).status).toBe(409);

      for (let attempt = 0; attempt < 3; attempt += 1) {
        const second = await api('post', members, ADMIN, { email: `second-owner-${attempt}@msp.example`, role: TenantRole.Owner });
        const answers = await Promise.all([
          api('patch', `${members}/${owner.userId}`, ADMIN, { role: TenantRole.Reader }),
          api('patch', `${members}/${second.body.userId}`, ADMIN, { role: TenantRole.Reader }),
        ]);
        expect(answers.map((answer) => answer.status).sort()).toEqual([200, 409]);
        const owners = (await api('get', members, ADMIN)).body.items.filter((member: { role: string }) => member.role === TenantRole.Owner);
        expect(owners).toHaveLength(1);
        // Back to the seeded state: owner@contoso.test the only owner.
        if (owners[0].userId !== owner.userId) {
          expect((await api('patch', `${members}/${owner.userId}`, ADMIN, { role: TenantRole.Owner })).status).toBe(200);
        }
        expect((await api('delete', `${members}/${second.body.userId}`, ADMIN)).status).toBe(204);
      }
    });
  });

  describe('removing a tenant', () => {
    it('disables it at once (starts 409 tenant_disabled), pauses its schedules, keeps its data; administrators only', async () => {
      const { body } = await api('post', '/api/tenants', ADMIN, { directoryId: randomUUID(), displayName: 'Leaving' });
      const tenant = body.tenant;
      const schedule = await api('post', `/api/tenants/${tenant.id}/backup-schedules`, ADMIN, { name: 'Nightly', frequency: 'daily', timeOfDay: '03:17', timeZone: 'UTC', keepLast: 3 });
      expect(schedule.status).toBe(201);
      const nextRunAt = (schedule.body as BackupScheduleView).nextRunAt!;

      expect((await api('delete', `/api/tenants/${CONTOSO.id}`, 'owner@contoso.test')).status).toBe(403);
      expect((await api('delete', `/api/tenants/${tenant.id}`, ADMIN)).status).toBe(204);

      const read = await api('get', `/api/tenants/${tenant.id}`, ADMIN);
      expect(read).toMatchObject({ status: 200, body: { disabledAt: expect.any(String) } });
      const start = await api('post', `/api/tenants/${tenant.id}/runs`, ADMIN, { type: RunType.InventorySync, target: {}, scope: {} });
      expect(start).toMatchObject({ status: 409, body: { statusCode: 409, error: 'Conflict', message: expect.stringMatching(/^tenant_disabled: /) } });
      expect((await api('post', `/api/tenants/${tenant.id}/backup-schedules`, ADMIN, { name: 'Again', frequency: 'daily', timeOfDay: '04:00', timeZone: 'UTC', keepLast: 1 })).status).toBe(409);
      expect(await api('get', `/api/tenants/${tenant.id}/backup-schedules/${schedule.body.id}`, ADMIN)).toMatchObject({ status: 200, body: { enabled: true, pausedAt: expect.any(String) } });
      expect(await rpc.request<DispatchSchedulesReply>(BackupScheduleRpc.dispatch, { now: nextRunAt })).toEqual({ dispatched: 0, skipped: 0 });
      // Data kept: its runs are still readable, the onboarding check among them.
      expect((await api('get', `/api/tenants/${tenant.id}/runs`, ADMIN)).body.items).toHaveLength(1);
      expect((await api('delete', `/api/tenants/${tenant.id}`, ADMIN)).status).toBe(204);
      expect((await api('post', '/api/tenants', ADMIN, { directoryId: tenant.directoryId, displayName: 'Back' })).status).toBe(409);
    });
  });
});
