// The system the chaos suite breaks: its own Postgres cluster and NATS server (so both can be killed),
// the database migrated and seeded, and two replicas of every service from dist/, each on a fixed port
// so a restarted gateway answers at the same URL. Every process the harness did not kill itself and
// that exits is counted and started again.
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import { jetstream, jetstreamManager, type JetStreamClient } from '@nats-io/jetstream';
import pg from 'pg';
import { jetStreamNames, type JetStreamNames } from '@policyvault/contracts';
import { ensureStreams, signDevelopmentToken } from '@policyvault/platform';
import { graphEmulatorEnv } from '../graph-emulator-env.js';
import { startPrivateNats, startPrivatePostgres, type PrivateNats, type PrivatePostgres } from '../private-instances.js';
import { freePort, startService, type ServiceProcess } from '../service-process.js';
import { sleep } from './chaos-random.js';

const execFileAsync = promisify(execFile);

export const CHAOS_SERVICES = ['run-service', 'notifier', 'capture-worker', 'restore-worker', 'gateway'] as const;
export type ChaosService = (typeof CHAOS_SERVICES)[number];

const SIGNING_KEY = 'chaos-suite-signing-key-0123456789abcdef012345';
/** How long a restart keeps trying (a service that cannot reach NATS or Postgres at boot exits). */
const RESTART_DEADLINE_MS = 120_000;

export interface ChaosInstance {
  service: ChaosService;
  name: string;
  port: number;
  url: string;
  process?: ServiceProcess;
  /** Down on purpose (killed by the harness) or on its own, until it is ready again. */
  up: boolean;
  /** Set while the harness kills it, so its exit is not counted as a crash. */
  killing: boolean;
}

export interface ClusterFigures {
  /** Restarts that failed and were tried again (e.g. a service exiting because NATS was down at boot). */
  failedStarts: number;
  failedStartReasons: string[];
  /** Processes that exited without being killed by the harness. */
  unexpectedExits: { instance: string; at: number; code: number | null; signal: string | null }[];
}

export interface ChaosCluster {
  postgres: PrivatePostgres;
  nats: PrivateNats;
  databaseUrl: string;
  namespace: string;
  names: JetStreamNames;
  instances: ChaosInstance[];
  gatewayUrls: string[];
  figures: ClusterFigures;
  /** The harness's own connections (reconnecting: they outlive the outages). */
  pool: pg.Pool;
  connection: NatsConnection;
  js: JetStreamClient;
  token(email: string): Promise<string>;
  /** SIGKILL, like a crashed container; resolves once the process is gone. */
  kill(instance: ChaosInstance): Promise<void>;
  /** Starts the instance again, retrying until it is ready (or RESTART_DEADLINE_MS passes). */
  restart(instance: ChaosInstance): Promise<void>;
  close(): Promise<void>;
}

export async function startChaosCluster({ graphUrl, log }: { graphUrl: string; log: (line: string) => void }): Promise<ChaosCluster> {
  const postgres = await startPrivatePostgres('chaos-postgres');
  const nats = await startPrivateNats(1);
  const namespace = `chaos_${Date.now().toString(36)}`;
  const names = jetStreamNames(namespace);
  let pool: pg.Pool | undefined;
  let connection: NatsConnection | undefined;
  const instances: ChaosInstance[] = [];
  try {
    const databaseUrl = await postgres.createDatabase('policyvault');
    const childEnv = { ...process.env, DATABASE_URL: databaseUrl };
    await execFileAsync(process.execPath, ['tools/scripts/migrate.mjs'], { env: childEnv });
    await execFileAsync(process.execPath, ['dist/apps/gateway/src/database/seed.js'], { env: childEnv });
    pool = new pg.Pool({ connectionString: databaseUrl, max: 4 });
    // An idle client that loses its server (the Postgres stop) emits 'error' on the pool: expected here.
    pool.on('error', () => undefined);
    connection = await connect({ servers: nats.url, maxReconnectAttempts: -1, reconnectTimeWait: 100, name: 'chaos-harness' });
    await ensureStreams(await jetstreamManager(connection), names);

    const env: Record<string, string> = {
      DATABASE_URL: databaseUrl,
      DATABASE_POOL_SIZE: '5',
      NATS_URL: nats.url,
      NATS_NAMESPACE: namespace,
      AUTH_MODE: 'development',
      AUTH_DEV_SIGNING_KEY: SIGNING_KEY,
      OUTBOX_POLL_INTERVAL_MS: '200',
      // A killed worker's command comes back within seconds (heartbeats keep a live one's).
      COMMAND_ACK_WAIT_MS: '6000',
      COMMAND_CONCURRENCY: '4',
      ...graphEmulatorEnv(graphUrl),
    };
    for (const service of CHAOS_SERVICES) {
      for (const replica of [1, 2]) {
        const port = await freePort();
        instances.push({ service, name: `${service}-${replica}`, port, url: `http://127.0.0.1:${port}`, up: false, killing: false });
      }
    }
    const figures: ClusterFigures = { failedStarts: 0, failedStartReasons: [], unexpectedExits: [] };
    let closing = false;

    const bringUp = async (instance: ChaosInstance): Promise<void> => {
      const deadline = Date.now() + RESTART_DEADLINE_MS;
      for (;;) {
        try {
          instance.process = await startService(instance.service, { ...env, PORT: String(instance.port) }, { instance: instance.name, readyTimeoutMs: 60_000 });
          break;
        } catch (error) {
          if (closing) return;
          figures.failedStarts += 1;
          if (figures.failedStartReasons.length < 20) {
            // The first line says how it ended; the last, the service's last words (e.g. EADDRINUSE).
            const lines = (error as Error).message.split('\n');
            figures.failedStartReasons.push(`${instance.name}: ${lines[0]}${lines.length > 1 ? ` … ${lines.at(-1)?.slice(0, 300)}` : ''}`);
          }
          if (Date.now() > deadline) throw error;
          await sleep(1000);
        }
      }
      instance.up = true;
      const child = instance.process.process;
      child.once('exit', (code, signal) => {
        if (instance.killing || closing || instance.process?.process !== child) return;
        instance.up = false;
        figures.unexpectedExits.push({ instance: instance.name, at: Date.now(), code, signal });
        log(`! ${instance.name} exited on its own (code ${code}, signal ${signal}); starting it again`);
        void bringUp(instance).catch((error) => log(`! ${instance.name} could not be started again: ${(error as Error).message}`));
      });
    };

    // run-service first (the others ask it at boot), then everything else at once.
    await Promise.all(instances.filter((instance) => instance.service === 'run-service').map(bringUp));
    await Promise.all(instances.filter((instance) => instance.service !== 'run-service').map(bringUp));

    const harnessPool = pool;
    const harnessConnection = connection;
    return {
      postgres,
      nats,
      databaseUrl,
      namespace,
      names,
      instances,
      gatewayUrls: instances.filter((instance) => instance.service === 'gateway').map((instance) => instance.url),
      figures,
      pool: harnessPool,
      connection: harnessConnection,
      js: jetstream(harnessConnection),
      token: (email) => signDevelopmentToken({ email, signingKey: SIGNING_KEY, expiresIn: '2h' }),
      async kill(instance) {
        instance.killing = true;
        instance.up = false;
        await instance.process?.kill();
        instance.killing = false;
      },
      restart: bringUp,
      async close() {
        closing = true;
        await Promise.all(instances.map((instance) => instance.process?.stop()));
        await harnessConnection.close().catch(() => undefined);
        await harnessPool.end().catch(() => undefined);
        await nats.destroy();
        await postgres.destroy();
      },
    };
  } catch (error) {
    await Promise.all(instances.map((instance) => instance.process?.kill()));
    await connection?.close().catch(() => undefined);
    await pool?.end().catch(() => undefined);
    await nats.destroy();
    await postgres.destroy();
    throw error;
  }
}
