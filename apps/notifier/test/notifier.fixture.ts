// Shared set-up for notifier integration tests: its own database and NATS namespace, the notifier
// started for real, hand-made run status events published straight to the status stream, and an RPC
// client speaking the same transport as the gateway.
import { randomUUID } from 'node:crypto';
import { RunStatus, RunStatusEventKind, RunType, type NotificationView, type RunStatusEvent } from '@policyvault/contracts';
import {
  NATS_URL,
  connectNatsRpc,
  createTestDatabase,
  createTestNats,
  startService,
  waitFor,
  type NatsRpc,
  type ServiceProcess,
  type TestDatabase,
  type TestNats,
} from '@policyvault/testing';

export const UI_BASE_URL = 'https://policyvault.example.test/ui';

export interface NotifierFixture {
  database: TestDatabase;
  nats: TestNats;
  rpc: NatsRpc;
  notifier: ServiceProcess;
  restart(): Promise<void>;
  publish(event: RunStatusEvent | object, subject?: string): Promise<void>;
  /** Every status event published so far has been acknowledged (handled or terminated). */
  drained(): Promise<void>;
  notificationsOf(runId: string): Promise<(NotificationView & { eventId: string })[]>;
  close(): Promise<void>;
}

export async function createNotifierFixture(extraEnv: Record<string, string> = {}): Promise<NotifierFixture> {
  const database = await createTestDatabase();
  const nats = await createTestNats();
  const env = { DATABASE_URL: database.url, NATS_URL, NATS_NAMESPACE: nats.namespace, UI_BASE_URL, RUN_STATUS_CONCURRENCY: '8', ...extraEnv };
  const rpc = await connectNatsRpc(nats.namespace);
  const fixture: NotifierFixture = {
    database,
    nats,
    rpc,
    notifier: await startService('notifier', env),
    async restart() {
      await fixture.notifier.stop();
      fixture.notifier = await startService('notifier', env);
    },
    async publish(event, subject) {
      await nats.js.publish(subject ?? nats.names.runStatusSubject((event as RunStatusEvent).tenantId), JSON.stringify(event));
    },
    async drained() {
      const { state } = await nats.jsm.streams.info(nats.names.runStatusStream);
      await waitFor(
        () => nats.jsm.consumers.info(nats.names.runStatusStream, 'notifier'),
        (info) => info.num_pending === 0 && info.num_ack_pending === 0 && info.ack_floor.stream_seq >= state.last_seq,
        { what: 'the notifier to acknowledge every status event' },
      );
    },
    async notificationsOf(runId) {
      const { rows } = await database.pool.query(
        `SELECT id, user_id AS "userId", tenant_id AS "tenantId", run_id AS "runId", run_type AS "runType", status, title, body,
                error, link, event_id AS "eventId", created_at AS "createdAt", read_at AS "readAt"
         FROM notifier.notifications WHERE run_id = $1
         ORDER BY array_position(ARRAY['queued', 'running', 'succeeded', 'partial', 'failed', 'canceled'], status)`,
        [runId],
      );
      return rows;
    },
    async close() {
      await rpc.close();
      await fixture.notifier.stop();
      await nats.close();
      await database.drop();
    },
  };
  return fixture;
}

export function statusEvent(overrides: Partial<RunStatusEvent> = {}): RunStatusEvent {
  const runId = overrides.runId ?? randomUUID();
  const status = overrides.status ?? RunStatus.Queued;
  return {
    eventId: `run:${runId}:status:${status}`,
    kind: RunStatusEventKind.Transition,
    runId,
    tenantId: '11111111-1111-4111-8111-111111111111',
    type: RunType.BackupSetCreate,
    status,
    cancelRequested: false,
    counts: { total: 0, succeeded: 0, failed: 0, skipped: 0 },
    initiator: { userId: '22222222-2222-4222-8222-222222222222', email: 'operator@contoso.test' },
    occurredAt: new Date().toISOString(),
    ...overrides,
  };
}
