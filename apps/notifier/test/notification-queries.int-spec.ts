// The notifier's query API (NotificationRpc) over the real NATS transport: one user's notifications,
// only in the tenants the caller passes as visible, newest first, with read and read-all.
import { randomUUID } from 'node:crypto';
import { NotificationRpc, RunStatus, type NotificationPage, type NotificationView } from '@policyvault/contracts';
import { waitFor } from '@policyvault/testing';
import { createNotifierFixture, statusEvent, type NotifierFixture } from './notifier.fixture.js';

const ALICE = randomUUID();
const BOB = randomUUID();
const CONTOSO = randomUUID();
const FABRIKAM = randomUUID();
const initiator = (userId: string) => ({ userId, email: 'someone@contoso.test' });

describe('notification queries (notifier process, NATS request/reply)', () => {
  let fixture: NotifierFixture;

  beforeAll(async () => {
    fixture = await createNotifierFixture();
    // Alice: 5 notifications in Contoso (runs queued one after the other), 2 in Fabrikam; Bob: 1 in Contoso.
    const events = [
      ...Array.from({ length: 5 }, () => statusEvent({ tenantId: CONTOSO, initiator: initiator(ALICE) })),
      ...Array.from({ length: 2 }, () => statusEvent({ tenantId: FABRIKAM, initiator: initiator(ALICE) })),
      statusEvent({ tenantId: CONTOSO, initiator: initiator(BOB) }),
    ];
    for (const event of events) {
      await fixture.publish(event);
      // One at a time, so that creation order is publication order.
      await waitFor(() => fixture.notificationsOf(event.runId), (found) => found.length === 1, { what: 'the notification' });
    }
  });

  afterAll(async () => {
    await fixture?.close();
  });

  const list = (request: object) => fixture.rpc.request<NotificationPage>(NotificationRpc.list, request);

  it('lists only the caller\'s own notifications in visible tenants, newest first, and counts only those', async () => {
    const both = await list({ userId: ALICE, visibleTenantIds: [CONTOSO, FABRIKAM] });
    expect(both.items).toHaveLength(7);
    expect(both.unreadCount).toBe(7);
    expect(both.items.every((item) => item.userId === ALICE)).toBe(true);
    const created = both.items.map((item) => item.createdAt);
    expect(created).toEqual([...created].sort().reverse());
    expect(both.items.slice(0, 2).map((item) => item.tenantId)).toEqual([FABRIKAM, FABRIKAM]);

    // Fabrikam no longer visible (membership removed): never listed nor counted.
    const contosoOnly = await list({ userId: ALICE, visibleTenantIds: [CONTOSO] });
    expect(contosoOnly.items.map((item) => item.tenantId)).toEqual(Array(5).fill(CONTOSO));
    expect(contosoOnly.unreadCount).toBe(5);
    expect(await list({ userId: ALICE, visibleTenantIds: [CONTOSO], tenantId: FABRIKAM })).toEqual({ items: [], nextCursor: null, unreadCount: 0 });
    expect(await list({ userId: ALICE, visibleTenantIds: [] })).toEqual({ items: [], nextCursor: null, unreadCount: 0 });
    expect((await list({ userId: ALICE, visibleTenantIds: [CONTOSO, FABRIKAM], tenantId: FABRIKAM })).unreadCount).toBe(2);

    const bob = await list({ userId: BOB, visibleTenantIds: [CONTOSO, FABRIKAM] });
    expect(bob.items.map((item) => item.userId)).toEqual([BOB]);
  });

  it('pages with a cursor without gaps or repeats, and refuses a forged cursor or a malformed request', async () => {
    const seen: NotificationView[] = [];
    let cursor: string | undefined;
    do {
      const page: NotificationPage = await list({ userId: ALICE, visibleTenantIds: [CONTOSO, FABRIKAM], limit: 3, ...(cursor ? { cursor } : {}) });
      seen.push(...page.items);
      cursor = page.nextCursor ?? undefined;
    } while (cursor);
    const all = await list({ userId: ALICE, visibleTenantIds: [CONTOSO, FABRIKAM] });
    expect(seen.map((item) => item.id)).toEqual(all.items.map((item) => item.id));

    const forged = Buffer.from(JSON.stringify(["1970-01-01'; DROP TABLE x; --", 'x'])).toString('base64url');
    await expect(fixture.rpc.requestError(NotificationRpc.list, { userId: ALICE, visibleTenantIds: [CONTOSO], cursor: forged })).resolves.toMatchObject({ code: 'validation_failed' });
    await expect(fixture.rpc.requestError(NotificationRpc.list, { userId: ALICE })).resolves.toMatchObject({ code: 'validation_failed' });
    await expect(fixture.rpc.requestError(NotificationRpc.list, { userId: ALICE, visibleTenantIds: ['not-a-uuid'] })).resolves.toMatchObject({ code: 'validation_failed' });
  });

  it("marks one read only for its owner in a visible tenant (otherwise other_tenant naming the notification's tenant), and read-all per tenant or everywhere", async () => {
    const { items } = await list({ userId: ALICE, visibleTenantIds: [CONTOSO, FABRIKAM] });
    const fabrikamOne = items.find((item) => item.tenantId === FABRIKAM)!;
    const contosoOne = items.find((item) => item.tenantId === CONTOSO)!;
    const [bobs] = (await list({ userId: BOB, visibleTenantIds: [CONTOSO] })).items;

    const hidden = { userId: ALICE, notificationId: fabrikamOne.id, visibleTenantIds: [CONTOSO] };
    await expect(fixture.rpc.requestError(NotificationRpc.markRead, hidden)).resolves.toEqual({ code: 'other_tenant', message: 'notification not found', tenantId: FABRIKAM });
    const others = { userId: ALICE, notificationId: bobs.id, visibleTenantIds: [CONTOSO, FABRIKAM] };
    await expect(fixture.rpc.requestError(NotificationRpc.markRead, others)).resolves.toEqual({ code: 'other_tenant', message: 'notification not found', tenantId: CONTOSO });
    await expect(fixture.rpc.requestError(NotificationRpc.markRead, { ...others, notificationId: randomUUID() })).resolves.toEqual({ code: 'not_found', message: 'notification not found' });
    expect((await list({ userId: BOB, visibleTenantIds: [CONTOSO] })).unreadCount).toBe(1);

    const read = await fixture.rpc.request<NotificationView>(NotificationRpc.markRead, { userId: ALICE, notificationId: contosoOne.id, visibleTenantIds: [CONTOSO] });
    expect(read).toMatchObject({ id: contosoOne.id, readAt: expect.any(String) });
    const again = await fixture.rpc.request<NotificationView>(NotificationRpc.markRead, { userId: ALICE, notificationId: contosoOne.id, visibleTenantIds: [CONTOSO] });
    expect(again.readAt).toBe(read.readAt);
    expect((await list({ userId: ALICE, visibleTenantIds: [CONTOSO, FABRIKAM] })).unreadCount).toBe(6);
    const unread = await list({ userId: ALICE, visibleTenantIds: [CONTOSO, FABRIKAM], unreadOnly: true });
    expect(unread.items.map((item) => item.id)).not.toContain(contosoOne.id);
    expect(unread.unreadCount).toBe(6);

    const contosoRead = await fixture.rpc.request(NotificationRpc.markAllRead, { userId: ALICE, visibleTenantIds: [CONTOSO, FABRIKAM], tenantId: CONTOSO });
    expect(contosoRead).toEqual({ markedRead: 4, unreadCount: 2 });
    // Fabrikam is not visible: read-all leaves its notifications alone.
    expect(await fixture.rpc.request(NotificationRpc.markAllRead, { userId: ALICE, visibleTenantIds: [CONTOSO] })).toEqual({ markedRead: 0, unreadCount: 0 });
    expect((await list({ userId: ALICE, visibleTenantIds: [CONTOSO, FABRIKAM] })).unreadCount).toBe(2);
    expect(await fixture.rpc.request(NotificationRpc.markAllRead, { userId: ALICE, visibleTenantIds: [CONTOSO, FABRIKAM] })).toEqual({ markedRead: 2, unreadCount: 0 });
    expect((await list({ userId: BOB, visibleTenantIds: [CONTOSO] })).unreadCount).toBe(1);
    const { rows } = await fixture.database.pool.query(`SELECT count(*)::int AS unread FROM notifier.notifications WHERE read_at IS NULL AND status = $1`, [RunStatus.Queued]);
    expect(rows[0].unread).toBe(1);
  });
});
