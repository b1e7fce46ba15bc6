// Starts a service for real (node dist/apps/<service>/src/main.js) as a child process, waits until
// its readiness endpoint answers (or only its liveness, for a service started before its
// dependencies), and stops it gracefully (SIGTERM) or kills it (SIGKILL).
import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream, mkdirSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
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

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
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
  const port = env.PORT ? Number(env.PORT) : await freePort();
  const logDirectory = join(process.cwd(), 'tmp', 'test-logs');
  mkdirSync(logDirectory, { recursive: true });
  const logFile = join(logDirectory, `${env.NATS_NAMESPACE ?? 'default'}-${instance}.log`);
  const log = createWriteStream(logFile, { flags: 'a' });
  const child = spawn(process.execPath, [...nodeArguments, join(root, 'dist/apps', service, 'src/main.js')], {
    env: { PATH: process.env.PATH ?? '', LOG_LEVEL: 'info', ...env, PORT: String(port) },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout?.pipe(log);
  child.stderr?.pipe(log);
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  let exitCode: number | null = null;
  child.once('exit', (code) => (exitCode = code));
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
    if (exitCode !== null) throw new Error(`${instance} exited with code ${exitCode} (log: ${logFile})`);
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
