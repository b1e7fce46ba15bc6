// Private Postgres and NATS servers for tests that kill or restart them (the shared ones on 5432 and
// 4222 are never touched): a Postgres cluster `initdb`-ed into a temporary directory, a JetStream
// `nats-server` (or a three-node cluster) with its store in a temporary directory, each on a free port.
import { execFile, spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chmodSync, chownSync, createWriteStream, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { connect } from '@nats-io/transport-node';
import { jetstreamManager } from '@nats-io/jetstream';
import pg from 'pg';
import { NATS_SERVICE_USERS, natsAuthorizationConfig, type NatsServiceUser } from '@policyvault/contracts';
import { freePort } from './service-process.js';
import { uniqueName } from './test-run.js';
import { seedDemoDirectory } from './stack.js';
import type { TestDatabase } from './test-database.js';
import { waitFor } from './wait-for.js';

const POSTGRES_BIN = process.env.TEST_POSTGRES_BIN ?? '/usr/lib/postgresql/15/bin';
const NATS_SERVER = process.env.TEST_NATS_SERVER ?? '/usr/sbin/nats-server';

/** A server process the test owns: started, hard-killed and started again on the same data. */
interface OwnedProcess {
  child: ChildProcess | undefined;
  exited: Promise<void>;
}

function logStream(name: string) {
  const directory = join(process.cwd(), 'tmp', 'test-logs');
  mkdirSync(directory, { recursive: true });
  return createWriteStream(join(directory, `${name}.log`), { flags: 'a' });
}

function spawnOwned(command: string, args: string[], logName: string, user?: { uid: number; gid: number } | null): OwnedProcess {
  const log = logStream(logName);
  const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'], ...(user ?? {}) });
  child.stdout?.pipe(log);
  child.stderr?.pipe(log);
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  return { child, exited };
}

async function killOwned(owned: OwnedProcess | undefined, signal: NodeJS.Signals = 'SIGKILL'): Promise<void> {
  if (!owned?.child || owned.child.exitCode !== null || owned.child.signalCode !== null) return;
  owned.child.kill(signal);
  await owned.exited;
}

// ---------------------------------------------------------------------------------------------
// Postgres

let cachedPostgresUser: { uid: number; gid: number } | null | undefined;
/** initdb and postgres refuse to run as root: as root, run them as the `postgres` user. */
function postgresUser(): { uid: number; gid: number } | null {
  if (cachedPostgresUser !== undefined) return cachedPostgresUser;
  if (process.getuid?.() !== 0) return (cachedPostgresUser = null);
  const id = (flag: string) => Number(spawnSync('id', [flag, 'postgres'], { encoding: 'utf8' }).stdout.trim());
  cachedPostgresUser = { uid: id('-u'), gid: id('-g') };
  return cachedPostgresUser;
}

export interface PrivatePostgres {
  port: number;
  /** `postgres://postgres@127.0.0.1:<port>/<database>` */
  url(database?: string): string;
  createDatabase(name: string): Promise<string>;
  /** `pg_ctl stop -m immediate`: like a crash, no checkpoint. */
  stopImmediate(): Promise<void>;
  start(): Promise<void>;
  destroy(): Promise<void>;
}

/** A Postgres cluster of its own (trust auth, user `postgres`, fsync off), in a temporary directory. */
export async function startPrivatePostgres(name = 'private-postgres'): Promise<PrivatePostgres> {
  const user = postgresUser();
  const root = mkdtempSync(join(tmpdir(), 'pv-pg-'));
  const dataDirectory = join(root, 'data');
  if (user) {
    chownSync(root, user.uid, user.gid);
    chmodSync(root, 0o700);
  }
  const init = spawnSync(join(POSTGRES_BIN, 'initdb'), ['-D', dataDirectory, '-U', 'postgres', '--auth=trust', '-E', 'UTF8', '--no-sync'], {
    encoding: 'utf8',
    ...(user ? { uid: user.uid, gid: user.gid } : {}),
  });
  if (init.status !== 0) throw new Error(`initdb failed: ${init.stderr || init.stdout}`);
  const port = await freePort();
  let owned: OwnedProcess | undefined;
  const url = (database = 'postgres') => `postgres://postgres@127.0.0.1:${port}/${database}`;
  const start = async () => {
    owned = spawnOwned(
      join(POSTGRES_BIN, 'postgres'),
      ['-D', dataDirectory, '-p', String(port), '-k', root, '-c', 'listen_addresses=127.0.0.1', '-c', 'fsync=off', '-c', 'max_connections=300'],
      name,
      user,
    );
    await waitFor(
      async () => {
        if (owned?.child?.exitCode !== null) throw new Error(`postgres exited (log: tmp/test-logs/${name}.log)`);
        const client = new pg.Client({ connectionString: url() });
        await client.connect();
        await client.end();
        return true;
      },
      (ready) => ready,
      { timeoutMs: 30_000, intervalMs: 100, what: `${name} to accept connections` },
    );
  };
  await start();
  return {
    port,
    url,
    async createDatabase(database) {
      const client = new pg.Client({ connectionString: url() });
      await client.connect();
      try {
        await client.query(`CREATE DATABASE "${database}"`);
      } finally {
        await client.end();
      }
      return url(database);
    },
    async stopImmediate() {
      // SIGQUIT is pg_ctl's "immediate" shutdown: every backend quits without a checkpoint.
      await killOwned(owned, 'SIGQUIT');
    },
    start,
    async destroy() {
      await killOwned(owned, 'SIGQUIT');
      rmSync(root, { recursive: true, force: true });
    },
  };
}

// ---------------------------------------------------------------------------------------------
// NATS

export interface PrivateNatsServer {
  name: string;
  port: number;
  url: string;
  /** `kill -9`: the store is left as a crash leaves it. */
  kill(): Promise<void>;
  /** Starts again on the same port and store. */
  start(): Promise<void>;
  running(): boolean;
}

export interface PrivateNatsOptions {
  /** Extra configuration appended to the generated file (e.g. an `authorization { … }` block). */
  extraConfig?: string;
  /** A user and password the readiness probe connects with (when the configuration requires one). */
  probeUser?: { user: string; pass: string };
}

export interface PrivateNats {
  servers: PrivateNatsServer[];
  /** Every server's URL, comma-separated (what NATS_URL takes). */
  url: string;
  /** The server currently leading a stream's Raft group (clusters only). */
  streamLeader(stream: string): Promise<PrivateNatsServer | undefined>;
  destroy(): Promise<void>;
}

function natsServer(
  name: string,
  port: number,
  configFile: string,
  probeUser: PrivateNatsOptions['probeUser'],
): PrivateNatsServer & { ownedRef: () => OwnedProcess | undefined } {
  let owned: OwnedProcess | undefined;
  const url = `nats://127.0.0.1:${port}`;
  return {
    name,
    port,
    url,
    ownedRef: () => owned,
    running: () => Boolean(owned?.child && owned.child.exitCode === null && owned.child.signalCode === null),
    async kill() {
      await killOwned(owned, 'SIGKILL');
    },
    async start() {
      owned = spawnOwned(NATS_SERVER, ['-c', configFile], name);
      // Generous: in a fresh-clone CI run (2 cores, the chaos suite beside other suites) a restarted server was ready
      // 70 ms after its spawn, yet every 1-s probe handshake timed out for 20 s: the test process's own loop was held.
      await waitFor(
        async () => {
          if (owned?.child?.exitCode !== null) throw new Error(`${name} exited (log: tmp/test-logs/${name}.log)`);
          const connection = await connect({ servers: url, ...(probeUser ?? {}), reconnect: false, timeout: 5000 });
          await connection.close();
          return true;
        },
        (ready) => ready,
        { timeoutMs: 60_000, intervalMs: 100, what: `${name} to accept connections` },
      );
    },
  };
}

/**
 * One JetStream server (size 1) or a cluster of three (size 3) on free ports, stores in a temporary
 * directory. A cluster is returned once JetStream answers (its meta leader is elected).
 */
export async function startPrivateNats(size: 1 | 3 = 1, options: PrivateNatsOptions = {}): Promise<PrivateNats> {
  const root = mkdtempSync(join(tmpdir(), 'pv-nats-'));
  const clusterName = `pv${Math.random().toString(36).slice(2, 8)}`;
  const clientPorts = await Promise.all(Array.from({ length: size }, () => freePort()));
  const routePorts = size > 1 ? await Promise.all(Array.from({ length: size }, () => freePort())) : [];
  const servers = clientPorts.map((port, index) => {
    const name = `${clusterName}-n${index + 1}`;
    const storeDirectory = join(root, name);
    mkdirSync(storeDirectory, { recursive: true });
    const cluster =
      size > 1
        ? `cluster {\n  name: ${clusterName}\n  listen: 127.0.0.1:${routePorts[index]}\n  routes: [\n${routePorts
            .filter((_, other) => other !== index)
            .map((routePort) => `    nats-route://127.0.0.1:${routePort}`)
            .join('\n')}\n  ]\n}\n`
        : '';
    const configFile = join(root, `${name}.conf`);
    writeFileSync(
      configFile,
      `server_name: ${name}\nlisten: 127.0.0.1:${port}\njetstream {\n  store_dir: "${storeDirectory}"\n}\n${cluster}${options.extraConfig ?? ''}\n`,
    );
    return natsServer(name, port, configFile, options.probeUser);
  });
  await Promise.all(servers.map((server) => server.start()));
  const url = servers.map((server) => server.url).join(',');
  const withManager = async <T>(work: (manager: Awaited<ReturnType<typeof jetstreamManager>>) => Promise<T>): Promise<T> => {
    const running = servers.filter((server) => server.running()).map((server) => server.url);
    const connection = await connect({ servers: running, ...(options.probeUser ?? {}), timeout: 2000 });
    try {
      return await work(await jetstreamManager(connection, { timeout: 2000 }));
    } finally {
      await connection.close();
    }
  };
  await waitFor(
    () => withManager(async (manager) => Boolean(await manager.getAccountInfo())),
    (ready) => ready,
    { timeoutMs: 30_000, intervalMs: 250, what: 'JetStream to answer (meta leader elected)' },
  );
  if (size === 3) {
    // A meta leader can answer before every peer has joined it ("no suitable peers for placement"): ready once a
    // stream replicated on all three can be placed.
    const probe = `READY_${clusterName.toUpperCase()}`;
    await waitFor(
      () =>
        withManager(async (manager) => {
          await manager.streams.add({ name: probe, subjects: [`${probe}.>`], num_replicas: 3 });
          return manager.streams.delete(probe);
        }),
      () => true,
      { timeoutMs: 30_000, intervalMs: 250, what: 'the cluster to place a stream on all three servers' },
    );
  }
  return {
    servers,
    url,
    async streamLeader(stream) {
      // A loaded machine or an election can time one JetStream API request out: ask again until the cluster answers.
      const info = await waitFor(
        () => withManager((manager) => manager.streams.info(stream)),
        () => true,
        { timeoutMs: 30_000, intervalMs: 250, what: `the cluster to name ${stream}'s leader` },
      );
      return servers.find((server) => server.name === info.cluster?.leader);
    },
    async destroy() {
      await Promise.all(servers.map((server) => server.kill()));
      rmSync(root, { recursive: true, force: true });
    },
  };
}

export interface NatsCredentials {
  user: string;
  pass: string;
}

export interface SecuredNats extends PrivateNats {
  namespace: string;
  /** Each service's user and password. */
  users: Record<NatsServiceUser, NatsCredentials>;
  /** A user allowed everything: the test's own set-up and reads. */
  harness: NatsCredentials;
  /** NATS_USER and NATS_PASSWORD of a service (nothing for a name that is no service). */
  serviceEnv(service: string): Record<string, string>;
}

/**
 * A private JetStream server with the services' authorization as deploy/nats/ has it
 * (natsAuthorizationConfig of the namespace: one user per service), random passwords, and a harness user.
 */
export async function startSecuredNats(namespace = uniqueName()): Promise<SecuredNats> {
  const secret = () => randomBytes(18).toString('base64url');
  const users = Object.fromEntries(NATS_SERVICE_USERS.map((service) => [service, { user: service, pass: secret() }])) as Record<NatsServiceUser, NatsCredentials>;
  const harness = { user: 'test-harness', pass: secret() };
  const passwords = Object.fromEntries(NATS_SERVICE_USERS.map((service) => [service, users[service].pass])) as Record<NatsServiceUser, string>;
  const server = await startPrivateNats(1, {
    extraConfig: natsAuthorizationConfig(namespace, { passwords, administrators: [{ user: harness.user, password: harness.pass }] }),
    probeUser: harness,
  });
  return {
    ...server,
    namespace,
    users,
    harness,
    serviceEnv(service): Record<string, string> {
      const credentials = users[service as NatsServiceUser];
      return credentials ? { NATS_USER: credentials.user, NATS_PASSWORD: credentials.pass } : {};
    },
  };
}

// ---------------------------------------------------------------------------------------------
// A migrated, seeded database on a private Postgres

/**
 * A database on the private Postgres, migrated like `npm run migrate` (tools/scripts/migrate.mjs's
 * migrateAll, from dist/, in a child process as jest's globalSetup does) and seeded with the demo
 * directory like startStack's: what a stack needs.
 */
export async function createPrivateTestDatabase(postgres: PrivatePostgres, name = 'policyvault'): Promise<TestDatabase> {
  const url = await postgres.createDatabase(name);
  await promisify(execFile)(process.execPath, ['tools/scripts/migrate.mjs'], { env: { ...process.env, DATABASE_URL: url } });
  await seedDemoDirectory(url);
  const pool = new pg.Pool({ connectionString: url, max: 4 });
  // An idle client dropped by a stop of the server must not crash the test process.
  pool.on('error', () => undefined);
  return {
    name,
    url,
    pool,
    // The private Postgres is destroyed with its data: only the pool is ours to end.
    drop: () => pool.end(),
  };
}
