// Starts a service for real (node dist/apps/<service>/src/main.js) as a child process, waits until
// its readiness endpoint answers (or only its liveness, for a service started before its
// dependencies), and stops it gracefully (SIGTERM) or kills it (SIGKILL).
import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream, mkdirSync, readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join, resolve as resolvePath } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { Agent, request } from 'undici';
import { waitFor } from './wait-for.js';

export interface ServiceProcess {
  name: string;
  url: string;
  port: number;
  process: ChildProcess;
  logFile: string;
  /** Graceful stop (SIGTERM), resolves when the process has exited. */
  stop(): Promise<void>;
  /** Hard kill (SIGKILL): no shutdown hooks run, like a crashed container. */
  kill(): Promise<void>;
}

/**
 * A free port below the system's ephemeral range, for a server a test starts (and may restart) on a port known
 * beforehand: a private Postgres or NATS, a service that must come back where it was. Outgoing connections take
 * their local ports from the ephemeral range, so none of them can take this port between the check and the
 * server's bind, or while the server is down.
 */
export async function freePort(): Promise<number> {
  const [ephemeralLow = 32768, ephemeralHigh = 60999] = readFileSync('/proc/sys/net/ipv4/ip_local_port_range', 'utf8').trim().split(/\s+/).map(Number);
  // Below the ephemeral range when it leaves room there (Linux's default: 32768–60999), else above it.
  const [low, high] = ephemeralLow - FIXED_PORTS_LOW >= 1000 ? [FIXED_PORTS_LOW, ephemeralLow - 1] : [ephemeralHigh + 1, 65535];
  for (let attempt = 0; attempt < 50; attempt += 1) {
    const port = low + Math.floor(Math.random() * (high - low + 1));
    if (await canListen(port)) return port;
  }
  throw new Error(`no free port found in ${low}–${high}`);
}

/** Where fixed test ports start: above the ports other local services usually take. */
const FIXED_PORTS_LOW = 20_000;

function canListen(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.unref();
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
  });
}

export async function startService(
  service: string,
  env: Record<string, string>,
  {
    instance = service,
    readyTimeoutMs = 30_000,
    waitUntil = 'ready',
    nodeArguments = [],
    root = process.cwd(),
  }: {
    instance?: string;
    readyTimeoutMs?: number;
    waitUntil?: 'ready' | 'live';
    /** Node options before the script (e.g. `--cpu-prof`, which NODE_OPTIONS may not carry). */
    nodeArguments?: string[];
    /** The checkout whose dist/ is run (a benchmark may compare another build); default: the current directory. */
    root?: string;
  } = {},
): Promise<ServiceProcess> {
  const logDirectory = join(process.cwd(), 'tmp', 'test-logs');
  mkdirSync(logDirectory, { recursive: true });
  const logFile = join(logDirectory, `${env.NATS_NAMESPACE ?? 'default'}-${instance}.log`);
  const log = createWriteStream(logFile, { flags: 'a' });
  // Another checkout's build (a benchmark's A/B) may predate the port message: it gets a fixed port instead.
  const fixedPort = env.PORT ?? (resolvePath(root) === resolvePath(process.cwd()) ? undefined : String(await freePort()));
  // Without a PORT of the test's own, the service listens on port 0: the system chooses a port no socket holds,
  // and the service tells it over the IPC channel. A port found free beforehand could be taken before the service
  // binds it, e.g. as the local port of any process's outgoing connection, and the service would exit (EADDRINUSE).
  const child = spawn(process.execPath, [...nodeArguments, join(root, 'dist/apps', service, 'src/main.js')], {
    env: { PATH: process.env.PATH ?? '', LOG_LEVEL: 'info', ...env, PORT: fixedPort ?? '0' },
    stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
  });
  child.stdout?.pipe(log);
  child.stderr?.pipe(log);
  const output = new OutputTail(child);
  const exited = new Promise<void>((resolve) => child.once('close', () => resolve()));
  let exitCode: number | null = null;
  child.once('exit', (code) => (exitCode = code));
  /** Why the service did not start: its exit code and its last lines of output (the log file may lag behind). */
  const failure = async (what: string): Promise<Error> => {
    if (exitCode !== null) await exited;
    return new Error(`${instance} ${exitCode === null ? what : `exited with code ${exitCode}`} (log: ${logFile})\n${output.text()}`);
  };
  const port = fixedPort
    ? Number(fixedPort)
    : await Promise.race([portListenedOn(child), exited.then(() => -1), delay(readyTimeoutMs, -1, { ref: false })]);
  if (port < 0) {
    const error = await failure(`did not listen within ${readyTimeoutMs} ms`);
    child.kill('SIGKILL');
    throw error;
  }
  const url = `http://127.0.0.1:${port}`;
  // The readiness probe has connections of its own, closed once the service is ready: a probe's idle keep-alive
  // connection left in the test's global pool could be the one the test's first request takes just as the server
  // closes it (its 5-s keep-alive timeout), and a POST on it fails with "other side closed".
  const probe = new Agent();
  try {
    await waitFor(
      async () => {
        // An exit ends the wait at once (a throw here would only be retried until the timeout).
        if (exitCode !== null) return -1;
        const response = await request(`${url}/health/${waitUntil}`, { dispatcher: probe });
        await response.body.dump();
        return response.statusCode;
      },
      (status) => status === 200 || exitCode !== null,
      { timeoutMs: readyTimeoutMs, intervalMs: 100, what: `${instance} to be ${waitUntil} (log: ${logFile})` },
    );
    if (exitCode !== null) throw await failure('exited');
  } catch (error) {
    child.kill('SIGKILL');
    throw error;
  } finally {
    await probe.destroy();
  }
  const terminate = async (signal: NodeJS.Signals) => {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill(signal);
      // A process a test froze (SIGSTOP) acts on the signal only once it runs again.
      child.kill('SIGCONT');
    }
    await exited;
    log.end();
  };
  return {
    name: instance,
    url,
    port,
    process: child,
    logFile,
    stop: () => terminate('SIGTERM'),
    kill: () => terminate('SIGKILL'),
  };
}

/** The port a service started with PORT=0 listens on, as bootstrap.ts tells it over the IPC channel. */
function portListenedOn(child: ChildProcess): Promise<number> {
  return new Promise((resolve) => {
    const onMessage = (message: unknown) => {
      const port = (message as { listening?: unknown } | null)?.listening;
      if (typeof port !== 'number') return;
      child.off('message', onMessage);
      resolve(port);
    };
    child.on('message', onMessage);
  });
}

/** The last lines a service wrote (stdout and stderr): why it did not start, when the log file lags behind. */
class OutputTail {
  private static readonly LINES = 15;
  private readonly lines: string[] = [];
  private partial = '';

  constructor(child: ChildProcess) {
    child.stdout?.on('data', (chunk: Buffer) => this.add(chunk));
    child.stderr?.on('data', (chunk: Buffer) => this.add(chunk));
  }

  text(): string {
    return [...this.lines, this.partial].filter(Boolean).join('\n');
  }

  private add(chunk: Buffer): void {
    const lines = (this.partial + chunk.toString('utf8')).split('\n');
    this.partial = lines.pop() ?? '';
    this.lines.push(...lines);
    this.lines.splice(0, Math.max(0, this.lines.length - OutputTail.LINES));
  }
}
