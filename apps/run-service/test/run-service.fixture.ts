// Shared set-up for run-service integration tests: its own database and NATS namespace, run-service
// processes started for real, and an RPC client speaking the same transport as the gateway.
import { randomUUID } from 'node:crypto';
import { firstValueFrom } from 'rxjs';
import {
  RUN_TYPES_REGISTRY,
  RunRpc,
  RunType,
  WorkerEventSubjects,
  workerEventSubject,
  type RunView,
  type RunWorker,
  type StartRunReply,
  type StartRunRequest,
} from '@policyvault/contracts';
import { NamespacedNatsClient } from '@policyvault/platform';
import {
  NATS_URL,
  createTestDatabase,
  createTestNats,
  startService,
  type ServiceProcess,
  type TestDatabase,
  type TestNats,
} from '@policyvault/testing';

export interface RunServiceFixture {
  database: TestDatabase;
  nats: TestNats;
  rpc: NamespacedNatsClient;
  replicas: ServiceProcess[];
  startReplica(instance: string): Promise<ServiceProcess>;
  start(request: Partial<StartRunRequest>): Promise<StartRunReply>;
  /** As the worker owning the run's type publishes it (capture-worker for a run that does not exist). */
  /** Publishes as the worker that owns the run's type (asked from run-service unless given). */
  publishWorkerEvent(kind: keyof typeof WorkerEventSubjects, event: object, worker?: RunWorker): Promise<void>;
  close(): Promise<void>;
}

export async function createRunServiceFixture(replicaCount: number, extraEnv: Record<string, string> = {}): Promise<RunServiceFixture> {
  const database = await createTestDatabase();
  const nats = await createTestNats();
  const env = { DATABASE_URL: database.url, NATS_URL, NATS_NAMESPACE: nats.namespace, OUTBOX_POLL_INTERVAL_MS: '200', ...extraEnv };
  const replicas: ServiceProcess[] = [];
  const startReplica = async (instance: string) => {
    const replica = await startService('run-service', env, { instance });
    replicas.push(replica);
    return replica;
  };
  for (let index = 0; index < replicaCount; index += 1) await startReplica(`run-service-${index + 1}`);
  const rpc = new NamespacedNatsClient(nats.namespace, { servers: NATS_URL, timeout: 10_000 });
  await rpc.connect();
  return {
    database,
    nats,
    rpc,
    replicas,
    startReplica,
    start: (request) => firstValueFrom(rpc.send<StartRunReply>(RunRpc.start, startRequest(request))),
    async publishWorkerEvent(kind, event, owner) {
      const { tenantId, runId } = event as { tenantId?: string; runId?: string };
      const run = owner ? undefined : await firstValueFrom(rpc.send<RunView>(RunRpc.get, { tenantId, runId })).catch(() => undefined);
      const worker = owner ?? (run ? RUN_TYPES_REGISTRY[run.type].worker : 'capture-worker');
      await nats.js.publish(nats.names.subject(workerEventSubject(WorkerEventSubjects[kind], worker)), JSON.stringify(event));
    },
    async close() {
      await rpc.close();
      await Promise.all(replicas.map((replica) => replica.stop()));
      await nats.close();
      await database.drop();
    },
  };
}

export const TENANT_ID = '11111111-1111-4111-8111-111111111111';

export function startRequest(overrides: Partial<StartRunRequest> = {}): StartRunRequest {
  return {
    tenantId: TENANT_ID,
    tenantDirectoryId: 'directory-1',
    type: RunType.PolicyCaptureSnapshot,
    target: { policyId: randomUUID() },
    scope: {},
    initiator: { userId: '22222222-2222-4222-8222-222222222222', email: 'operator@contoso.test' },
    ...overrides,
  };
}
