// Every service started before NATS or Postgres waits for it instead of exiting: live 200 and ready 503
// meanwhile (retrying with backoff, one warning per attempt, no credentials in the log), ready by itself
// once the dependency is up, and back to 503 / 200 when it is lost and returns while the service runs.
import { readFileSync } from 'node:fs';
import { createServer, type AddressInfo } from 'node:net';
import {
  E2E_SIGNING_KEY,
  graphEmulatorEnv,
  NATS_URL,
  createPrivateTestDatabase,
  createTestDatabase,
  createTestNats,
  startPrivateNats,
  startPrivatePostgres,
  startService,
  uniqueName,
  waitFor,
  type PrivateNats,
  type PrivatePostgres,
  type ServiceProcess,
  type TestDatabase,
  type TestNats,
} from '@policyvault/testing';

const SERVICES = ['gateway', 'run-service', 'capture-worker', 'restore-worker', 'notifier'];

interface Health {
  live: number;
  ready: number;
  readyBody: { error?: Record<string, unknown> };
}

async function healthOf(service: ServiceProcess): Promise<Health> {
  const live = await fetch(`${service.url}/health/live`);
  const ready = await fetch(`${service.url}/health/ready`);
  return { live: live.status, ready: ready.status, readyBody: (await ready.json()) as Health['readyBody'] };
}

async function everyHealth(services: ServiceProcess[]): Promise<Health[]> {
  return Promise.all(services.map(healthOf));
}

/** Every service, each returned once it answers /health/live (a failed start still hands back the others, to be stopped). */
async function startAll(env: Record<string, string>, into: ServiceProcess[]): Promise<void> {
  const started = await Promise.allSettled(
    SERVICES.map((service) => startService(service, { ...graphEmulatorEnv(UNUSED_GRAPH_URL), ...env }, { instance: `${service}-boot`, waitUntil: 'live' })),
  );
  for (const result of started) if (result.status === 'fulfilled') into.push(result.value);
  const failed = started.find((result): result is PromiseRejectedResult => result.status === 'rejected');
  if (failed) throw failed.reason;
}

/** The service's warnings about a dependency it could not reach, in order. */
function retryWarnings(service: ServiceProcess, dependency: string): { attempt: number; retryInMs: number }[] {
  return readFileSync(service.logFile, 'utf8')
    .split('\n')
    .filter((line) => line.startsWith('{'))
    .map((line) => JSON.parse(line) as { level: number; dependency?: string; attempt: number; retryInMs: number })
    .filter((line) => line.dependency === dependency && line.level === 40);
}

/** The workers need a Graph configuration to boot; nothing here calls Graph. */
const UNUSED_GRAPH_URL = 'http://127.0.0.1:9';
const baseEnv = { AUTH_MODE: 'development', AUTH_DEV_SIGNING_KEY: E2E_SIGNING_KEY, LOG_LEVEL: 'info' };

describe('services started while NATS or Postgres is down', () => {
  const services: ServiceProcess[] = [];

  afterEach(async () => {
    await Promise.all(services.map((service) => service.stop()));
    services.length = 0;
  });

  describe('NATS', () => {
    let nats: PrivateNats;
    let database: TestDatabase;

    beforeAll(async () => {
      nats = await startPrivateNats(1);
      database = await createTestDatabase();
    });

    afterAll(async () => {
      await nats?.destroy();
      await database?.drop();
    });

    it('are live and not ready while NATS is down, ready without a restart once it is up, 503 again while it is lost', async () => {
      const [server] = nats.servers;
      await server!.kill();
      await startAll({ ...baseEnv, DATABASE_URL: database.url, NATS_URL: nats.url, NATS_NAMESPACE: uniqueName() }, services);

      const waiting = await waitFor(
        () => everyHealth(services),
        (health) => services.every((service) => retryWarnings(service, 'nats').length >= 2) && health.length === SERVICES.length,
        { what: 'every service to have retried NATS twice' },
      );
      for (const health of waiting) {
        expect(health).toMatchObject({ live: 200, ready: 503, readyBody: { error: { nats: { status: 'down' } } } });
      }
      // Gateway API while starting: 503 with Retry-After, not a refused connection.
      const gateway = services.find((service) => service.name.startsWith('gateway'))!;
      const starting = await fetch(`${gateway.url}/api/tenants`);
      expect(starting.status).toBe(503);
      expect(starting.headers.get('retry-after')).toBe('5');
      for (const service of services) {
        const warnings = retryWarnings(service, 'nats');
        expect(warnings.map((warning) => warning.attempt)).toEqual(warnings.map((_, index) => index + 1));
        expect(warnings.every((warning) => warning.retryInMs <= 5000)).toBe(true);
        expect(service.process.exitCode).toBeNull();
      }

      await server!.start();
      await waitFor(() => everyHealth(services), (health) => health.every((one) => one.live === 200 && one.ready === 200), {
        timeoutMs: 30_000,
        what: 'every service to become ready once NATS is up',
      });

      await server!.kill();
      await waitFor(() => everyHealth(services), (health) => health.every((one) => one.live === 200 && one.ready === 503), {
        what: 'readiness to drop while NATS is lost',
      });
      await server!.start();
      await waitFor(() => everyHealth(services), (health) => health.every((one) => one.ready === 200), {
        timeoutMs: 30_000,
        what: 'readiness to return with NATS',
      });
      expect(services.every((service) => service.process.exitCode === null)).toBe(true);
    });
  });

  describe('Postgres', () => {
    const PASSWORD = 'pw-never-logged-4f1c';
    let postgres: PrivatePostgres;
    let database: TestDatabase;
    let nats: TestNats;

    beforeAll(async () => {
      postgres = await startPrivatePostgres('boot-faults-postgres');
      database = await createPrivateTestDatabase(postgres);
      nats = await createTestNats();
    });

    afterAll(async () => {
      await nats?.close();
      await database?.drop().catch(() => undefined);
      await postgres?.destroy();
    });

    it('are live and not ready while Postgres is down, ready without a restart once it is up, 503 again while it is lost', async () => {
      await postgres.stopImmediate();
      // Trust authentication ignores the password: it is there to prove no log line carries it.
      const url = new URL(database.url);
      url.password = PASSWORD;
      await startAll({ ...baseEnv, DATABASE_URL: url.toString(), NATS_URL, NATS_NAMESPACE: nats.namespace }, services);

      const waiting = await waitFor(
        () => everyHealth(services),
        (health) => services.every((service) => retryWarnings(service, 'database').length >= 2) && health.length === SERVICES.length,
        { what: 'every service to have retried Postgres twice' },
      );
      for (const health of waiting) {
        expect(health).toMatchObject({ live: 200, ready: 503, readyBody: { error: { database: { status: 'down' } } } });
      }

      await postgres.start();
      await waitFor(() => everyHealth(services), (health) => health.every((one) => one.live === 200 && one.ready === 200), {
        timeoutMs: 30_000,
        what: 'every service to become ready once Postgres is up',
      });

      await postgres.stopImmediate();
      await waitFor(() => everyHealth(services), (health) => health.every((one) => one.live === 200 && one.ready === 503), {
        what: 'readiness to drop while Postgres is lost',
      });
      await postgres.start();
      await waitFor(() => everyHealth(services), (health) => health.every((one) => one.ready === 200), {
        timeoutMs: 30_000,
        what: 'readiness to return with Postgres',
      });
      for (const service of services) {
        expect(service.process.exitCode).toBeNull();
        expect(readFileSync(service.logFile, 'utf8')).not.toContain(PASSWORD);
      }
    });
  });
});

describe('where a service listens, and why it did not start', () => {
  let database: TestDatabase;
  let nats: TestNats;

  beforeAll(async () => {
    database = await createTestDatabase();
    nats = await createTestNats();
  });

  afterAll(async () => {
    await nats?.close();
    await database?.drop();
  });

  const env = () => ({ ...baseEnv, DATABASE_URL: database.url, NATS_URL, NATS_NAMESPACE: nats.namespace });

  it('listens on a port the system chose when none is given, and answers there', async () => {
    const notifier = await startService('notifier', env(), { instance: 'notifier-port-0' });
    try {
      expect(notifier.port).toBeGreaterThan(0);
      expect(notifier.url).toBe(`http://127.0.0.1:${notifier.port}`);
      expect((await fetch(`${notifier.url}/health/ready`)).status).toBe(200);
      const listening = readFileSync(notifier.logFile, 'utf8')
        .split('\n')
        .filter((line) => line.includes('"notifier listening"'))
        .map((line) => JSON.parse(line) as { port: number });
      expect(listening.at(-1)?.port).toBe(notifier.port);
    } finally {
      await notifier.stop();
    }
  });

  it('fails a start with the exit code and the last lines the service wrote', async () => {
    // A socket holds the port, as an outgoing connection's local port would (it answers nothing).
    const holder = createServer((socket) => socket.destroy());
    await new Promise<void>((resolve) => holder.listen(0, '127.0.0.1', resolve));
    const heldPort = (holder.address() as AddressInfo).port;
    try {
      await expect(startService('notifier', { ...env(), PORT: String(heldPort) }, { instance: 'notifier-port-taken' })).rejects.toThrow(
        new RegExp(`notifier-port-taken exited with code 1 \\(log: .+\\)\\n.*EADDRINUSE.*${heldPort}.*failed to start`),
      );
      await expect(startService('notifier', { ...env(), PORT: 'eighty' }, { instance: 'notifier-bad-port' })).rejects.toThrow(
        /notifier-bad-port exited with code 78 [^]*PORT/,
      );
    } finally {
      await new Promise((resolve) => holder.close(resolve));
    }
  });
});
