// The system started for real for end-to-end tests: a database and NATS namespace of its own, the
// demo directory seeded, and the services as processes from dist/ (gateway, run-service replicas,
// workers…), driven through the gateway's HTTP API like an operator would.
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { DEMO_TENANTS } from '@policyvault/contracts';
import { signDevelopmentToken } from '@policyvault/platform';
import { createTestDatabase, type TestDatabase } from './test-database.js';
import { createTestNats, type TestNats } from './test-nats.js';
import { NATS_URL } from './test-run.js';
import { startService, type ServiceProcess } from './service-process.js';
import type { NatsCredentials } from './private-instances.js';

const execFileAsync = promisify(execFile);

export const E2E_SIGNING_KEY = 'end-to-end-test-signing-key-0123456789abcdef';
export const CONTOSO = DEMO_TENANTS[0];
export const FABRIKAM = DEMO_TENANTS[1];

export interface StackOptions {
  /** Services to start, in order; repeat a name for replicas (e.g. two 'run-service'). */
  services: string[];
  env?: Record<string, string>;
  /** A database of the test's own, migrated and seeded (e.g. on a private Postgres); default: a seeded clone of the template. */
  database?: TestDatabase;
  /**
   * Other NATS servers than the shared one: a private server's or cluster's NATS_URL with its stream replicas,
   * or a server with authorization (startSecuredNats), where each service connects as its own user.
   */
  nats?: StackNats;
}

export interface StackNats {
  url: string;
  replicas?: number;
  /** With authorization: the test's own user, the namespace the permissions name, each service's user. */
  harness?: NatsCredentials;
  namespace?: string;
  serviceEnv?(service: string): Record<string, string>;
}

/** The demo tenants and users, as `npm start` seeds them. */
export async function seedDemoDirectory(databaseUrl: string): Promise<void> {
  await execFileAsync(process.execPath, ['dist/apps/gateway/src/database/seed.js'], {
    env: { ...process.env, DATABASE_URL: databaseUrl },
  });
}

export interface Stack {
  database: TestDatabase;
  nats: TestNats;
  env: Record<string, string>;
  services: ServiceProcess[];
  gatewayUrl: string;
  /** Starts one more process of a service (a replica, or a restart after kill). */
  start(service: string, instance?: string): Promise<ServiceProcess>;
  token(email: string): Promise<string>;
  close(): Promise<void>;
}

export async function startStack({ services, env: extraEnv = {}, database: ownDatabase, nats: natsServers }: StackOptions): Promise<Stack> {
  const database = ownDatabase ?? (await createTestDatabase());
  if (!ownDatabase) await seedDemoDirectory(database.url);
  const nats = await createTestNats({ url: natsServers?.url, replicas: natsServers?.replicas, user: natsServers?.harness, namespace: natsServers?.namespace });
  const env: Record<string, string> = {
    DATABASE_URL: database.url,
    NATS_URL: natsServers?.url ?? NATS_URL,
    NATS_STREAM_REPLICAS: String(natsServers?.replicas ?? 1),
    NATS_NAMESPACE: nats.namespace,
    AUTH_MODE: 'development',
    AUTH_DEV_SIGNING_KEY: E2E_SIGNING_KEY,
    OUTBOX_POLL_INTERVAL_MS: '200',
    ...extraEnv,
  };
  const started: ServiceProcess[] = [];
  const counters = new Map<string, number>();
  const start = async (service: string, instance?: string) => {
    const count = (counters.get(service) ?? 0) + 1;
    counters.set(service, count);
    const process = await startService(service, { ...env, ...natsServers?.serviceEnv?.(service) }, { instance: instance ?? `${service}-${count}` });
    started.push(process);
    return process;
  };
  try {
    for (const service of services) await start(service);
  } catch (error) {
    await Promise.all(started.map((process) => process.kill()));
    await nats.close();
    await database.drop();
    throw error;
  }
  const gateway = started.find((process) => process.name.startsWith('gateway'));
  return {
    database,
    nats,
    env,
    services: started,
    gatewayUrl: gateway?.url ?? '',
    start,
    token: (email) => signDevelopmentToken({ email, signingKey: E2E_SIGNING_KEY, expiresIn: '1h' }),
    async close() {
      await Promise.all(started.map((process) => process.stop()));
      await nats.close();
      await database.drop();
    },
  };
}
