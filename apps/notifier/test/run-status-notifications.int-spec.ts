// The notifier as a process against real Postgres and JetStream, fed hand-made run status events.
import { randomUUID } from 'node:crypto';
import { RunStatus, RunStatusEventKind, SafeErrorCode } from '@policyvault/contracts';
import { waitFor } from '@policyvault/testing';
import { createNotifierFixture, statusEvent, UI_BASE_URL, type NotifierFixture } from './notifier.fixture.js';

describe('run status events → notifications (notifier process, real JetStream and Postgres)', () => {
  let fixture: NotifierFixture;

  beforeAll(async () => {
    fixture = await createNotifierFixture();
  });

  afterAll(async () => {
    await fixture?.close();
  });

  it('stores one notification per transition for the initiator, however often an event arrives', async () => {
    const runId = randomUUID();
    const transitions = [
      statusEvent({ runId, status: RunStatus.Queued }),
      statusEvent({ runId, status: RunStatus.Running, counts: { total: 60, succeeded: 0, failed: 0, skipped: 0 } }),
      statusEvent({ runId, status: RunStatus.Succeeded, counts: { total: 60, succeeded: 58, failed: 0, skipped: 2 } }),
    ];
    // Published twice each (no Nats-Msg-Id, so the stream keeps both copies), out of order.
    for (const event of [...transitions, ...transitions.reverse()]) await fixture.publish(event);
    await fixture.drained();

    const stored = await fixture.notificationsOf(runId);
    expect(stored.map((notification) => notification.status)).toEqual([RunStatus.Queued, RunStatus.Running, RunStatus.Succeeded]);
    expect(stored[2]).toMatchObject({
      userId: '22222222-2222-4222-8222-222222222222',
      tenantId: '11111111-1111-4111-8111-111111111111',
      title: 'Backup set capture finished',
      body: '58 of 60 items succeeded, 2 skipped.',
      error: null,
      link: `${UI_BASE_URL}/tenants/11111111-1111-4111-8111-111111111111/runs/${runId}`,
      eventId: `run:${runId}:status:succeeded`,
      readAt: null,
    });

    // The durable consumer lost (e.g. recreated) and the whole stream replayed: still one each.
    await fixture.notifier.stop();
    await fixture.nats.jsm.consumers.delete(fixture.nats.names.runStatusStream, 'notifier');
    await fixture.restart();
    await fixture.drained();
    expect((await fixture.notificationsOf(runId)).map((notification) => notification.id)).toEqual(stored.map((notification) => notification.id));
  });

  it('carries only the safe error summary (code and message) of failed and partial runs: no secret gets through', async () => {
    const token = `eyJhbGciOiJSUzI1NiJ9.${randomUUID()}.c2lnbmF0dXJl`;
    const failed = statusEvent({
      status: RunStatus.Failed,
      counts: { total: 3, succeeded: 0, failed: 3, skipped: 0 },
      error: {
        code: SafeErrorCode.GraphAuthFailed,
        message: 'Microsoft Graph refused the credentials.',
        context: { httpStatus: 401, requestId: token, authorization: `Bearer ${token}`, client_secret: token },
      },
    });
    const partial = statusEvent({
      status: RunStatus.Partial,
      counts: { total: 60, succeeded: 57, failed: 3, skipped: 0 },
      error: { code: SafeErrorCode.GraphThrottled, message: 'Microsoft Graph kept throttling some requests.', context: { retryAfterSeconds: 30, accessToken: token } },
    });
    await fixture.publish(failed);
    await fixture.publish(partial);
    await fixture.drained();

    const [failedNotification] = await fixture.notificationsOf(failed.runId);
    expect(failedNotification).toMatchObject({
      title: 'Backup set capture failed',
      body: '0 of 3 items succeeded, 3 failed.',
      error: { code: SafeErrorCode.GraphAuthFailed, message: 'Microsoft Graph refused the credentials.' },
    });
    expect(Object.keys(failedNotification.error!)).toEqual(['code', 'message']);
    const [partialNotification] = await fixture.notificationsOf(partial.runId);
    expect(partialNotification).toMatchObject({
      title: 'Backup set capture finished with errors',
      body: '57 of 60 items succeeded, 3 failed.',
      error: { code: SafeErrorCode.GraphThrottled, message: 'Microsoft Graph kept throttling some requests.' },
    });
    const { rows } = await fixture.database.pool.query(`SELECT row_to_json(n)::text AS json FROM notifier.notifications n`);
    for (const row of rows) expect(row.json).not.toContain(token);
  });

  it('records and terminates invalid events without a notification, and keeps consuming', async () => {
    const runId = randomUUID();
    const smuggled = { ...statusEvent({ runId, status: RunStatus.Failed }), error: { code: SafeErrorCode.Internal, message: 'x', stack: 'secret' } };
    const wrongSubject = statusEvent({ runId, status: RunStatus.Queued });
    await fixture.publish(smuggled);
    await fixture.publish({ ...statusEvent({ runId, status: RunStatus.Running }), status: 'paused' });
    await fixture.publish(wrongSubject, fixture.nats.names.runStatusSubject(randomUUID()));
    // Progress has its own subject: one filed under the status subject is malformed.
    await fixture.publish(statusEvent({ runId, status: RunStatus.Running, kind: RunStatusEventKind.Progress, eventId: `run:${runId}:progress:1` }));
    await fixture.nats.js.publish(fixture.nats.names.runStatusSubject(randomUUID()), 'not json');
    const valid = statusEvent({ runId, status: RunStatus.Succeeded });
    await fixture.publish(valid);

    await waitFor(() => fixture.notificationsOf(runId), (found) => found.length === 1, { what: 'the valid event\'s notification' });
    await fixture.drained();
    expect((await fixture.notificationsOf(runId)).map((notification) => notification.status)).toEqual([RunStatus.Succeeded]);
    const { rows } = await fixture.database.pool.query(`SELECT reason, delivery_count FROM notifier.rejected_messages ORDER BY id`);
    // Handled side by side, so in any order.
    expect(rows).toHaveLength(5);
    expect(rows.map((row) => row.reason)).toEqual(
      expect.arrayContaining([
        expect.stringContaining('error.stack: property stack should not exist'),
        expect.stringContaining('status: must be one of'),
        expect.stringContaining('on subject'),
        'progress event on the status subject',
        'payload is not JSON',
      ]),
    );
    expect(rows.every((row) => row.delivery_count === 1)).toBe(true);
  });
});
