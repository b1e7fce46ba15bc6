// Schedule alerts end to end (issue 18): run-service on a manual clock, the notifier and the gateway. A
// schedule and a webhook subscription to `schedule.failing` / `schedule.skipped` made through the gateway;
// the slots' runs ended as failed by run-finished events published as the capture-worker would (twice each:
// a redelivery). Three failures in a row → exactly one `schedule.failing` delivery to the local receiver; a
// fourth adds none; a slot skipped while its previous run is active → one `schedule.skipped` delivery.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  BackupScheduleRpc,
  NotificationEventKind,
  WorkerEventSubjects,
  workerEventSubject,
  type BackupScheduleView,
  type DispatchSchedulesReply,
  type Page,
  type ScheduleRunView,
} from '@policyvault/contracts';
import { CONTOSO, connectNatsRpc, gatewayRuns, startStack, waitFor, type GatewayRuns, type NatsRpc, type Stack } from '@policyvault/testing';

describe('schedule alerts (run-service, notifier, gateway; local webhook receiver)', () => {
  let stack: Stack;
  let rpc: NatsRpc;
  let runs: GatewayRuns;
  let ownerToken: string;
  let receiver: Server;
  let receiverUrl: string;
  const received: { type: string; data: Record<string, unknown> }[] = [];

  beforeAll(async () => {
    receiver = createServer((request, response) => {
      const chunks: Buffer[] = [];
      request.on('data', (chunk: Buffer) => chunks.push(chunk));
      request.on('end', () => {
        received.push(JSON.parse(Buffer.concat(chunks).toString('utf8')));
        response.writeHead(204).end();
      });
    });
    await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
    receiverUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hook`;
    stack = await startStack({
      services: ['run-service', 'notifier', 'gateway'],
      env: { SCHEDULER_CLOCK: 'manual', SCHEDULE_FAILING_ALERT_AFTER: '3', NOTIFICATION_ALLOW_PRIVATE_TARGETS: 'true', DELIVERY_POLL_MS: '100' },
    });
    rpc = await connectNatsRpc(stack.nats.namespace);
    ownerToken = await stack.token('owner@contoso.test');
    runs = gatewayRuns(stack.gatewayUrl, ownerToken);
  }, 120_000);

  afterAll(async () => {
    await rpc?.close();
    await stack?.close();
    await new Promise<void>((resolve) => (receiver ? receiver.close(() => resolve()) : resolve()));
  });

  async function api<T>(method: string, path: string, body?: object): Promise<{ status: number; body: T }> {
    const response = await fetch(`${stack.gatewayUrl}/api/tenants/${CONTOSO.id}${path}`, {
      method,
      headers: { authorization: `Bearer ${ownerToken}`, ...(body ? { 'content-type': 'application/json' } : {}) },
      body: body ? JSON.stringify(body) : undefined,
    });
    return { status: response.status, body: (await response.json()) as T };
  }

  /** Fires the slot and answers its run (the slot must have been dispatched). */
  async function dispatchSlot(scheduleId: string, slot: string): Promise<string> {
    await rpc.request<DispatchSchedulesReply>(BackupScheduleRpc.dispatch, { now: slot.replace(':00.000Z', ':30.000Z') });
    const history = (await api<Page<ScheduleRunView>>('GET', `/backup-schedules/${scheduleId}/runs?limit=50`)).body.items;
    const entry = history.find((candidate) => candidate.slot === slot);
    expect(entry?.runId).toEqual(expect.any(String));
    return entry!.runId!;
  }

  async function failRun(runId: string): Promise<void> {
    const subject = stack.nats.names.subject(workerEventSubject(WorkerEventSubjects.runFinished, 'capture-worker'));
    const event = JSON.stringify({ runId, tenantId: CONTOSO.id, outcome: 'failed', itemCount: 0, occurredAt: new Date().toISOString() });
    // Published twice: a redelivered worker event.
    for (let index = 0; index < 2; index += 1) await stack.nats.js.publish(subject, event);
    await runs.waitUntilTerminal(CONTOSO.id, runId);
  }

  it('three failed slot runs → one schedule.failing delivery; a skipped slot → one schedule.skipped delivery', async () => {
    const endpoint = await api<{ id: string }>('POST', '/notification-endpoints', { scope: 'tenant', kind: 'webhook', name: 'Schedules', url: receiverUrl });
    expect(endpoint.status).toBe(201);
    const subscription = await api('POST', '/notification-subscriptions', {
      scope: 'tenant',
      endpointId: endpoint.body.id,
      events: [NotificationEventKind.ScheduleFailing, NotificationEventKind.ScheduleSkipped],
      digest: false,
    });
    expect(subscription.status).toBe(201);
    const created = await api<BackupScheduleView>('POST', '/backup-schedules', {
      name: 'Nightly alerts',
      frequency: 'daily',
      timeOfDay: '01:30',
      timeZone: 'UTC',
      policyTypes: ['deviceConfiguration'],
      keepLast: 3,
    });
    expect(created.status).toBe(201);
    const scheduleId = created.body.id;

    const failed: string[] = [];
    for (const day of ['01', '02', '03', '04']) {
      const runId = await dispatchSlot(scheduleId, `2030-01-${day}T01:30:00.000Z`);
      await failRun(runId);
      failed.push(runId);
    }
    await dispatchSlot(scheduleId, '2030-01-05T01:30:00.000Z'); // stays queued
    await rpc.request<DispatchSchedulesReply>(BackupScheduleRpc.dispatch, { now: '2030-01-06T01:30:30.000Z' }); // skipped

    await waitFor(() => Promise.resolve(received.length), (count) => count >= 2, { what: 'two deliveries', timeoutMs: 30_000 });
    await new Promise((resolve) => setTimeout(resolve, 1500));
    expect(received.map((body) => body.type).sort()).toEqual(['schedule.failing', 'schedule.skipped']);
    expect(received.find((body) => body.type === 'schedule.failing')!.data).toMatchObject({
      tenantId: CONTOSO.id,
      title: 'Schedule "Nightly alerts" failed 3 times in a row',
      schedule: { id: scheduleId, runId: failed[2], consecutiveFailures: 3 },
    });
    expect(received.find((body) => body.type === 'schedule.skipped')!.data).toMatchObject({
      schedule: { id: scheduleId, slotAt: '2030-01-06T01:30:00.000Z' },
    });
  });
});
