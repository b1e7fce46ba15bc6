import type { Logger } from 'pino';
import { computeBackoffMs, type BackoffOptions } from '../retry/backoff.js';

/** What a service waits for at boot before it can serve (readiness names them while it waits). */
export type Dependency = 'nats' | 'jetstream' | 'database';

const DEPENDENCY_LABELS: Record<Dependency, string> = { nats: 'NATS', jetstream: 'JetStream', database: 'Postgres' };

/** First retry after up to 250 ms, doubling, never more than 5 s apart: a returning server is used within seconds. */
export const DEPENDENCY_BACKOFF: BackoffOptions = { baseDelayMs: 250, maxDelayMs: 5_000 };
const MIN_DELAY_MS = 50;

const waiting = new Set<Dependency>();

/** The dependencies this process is still waiting for at boot (empty once it has them all). */
export function dependenciesWaitedFor(): Dependency[] {
  return [...waiting];
}

export interface WaitOptions {
  backoff?: BackoffOptions;
  /** False for an error no retry can fix (a configuration the server refuses): it is thrown at once. */
  retryable?: (error: unknown) => boolean;
}

/**
 * Calls `attempt` until it succeeds: capped exponential backoff with full jitter, one warning per failed
 * attempt (the error's name, code and message with any URL credentials masked, never a connection string).
 * A service started before NATS or Postgres waits here instead of exiting.
 */
export async function waitForDependency<T>(
  dependency: Dependency,
  attempt: () => Promise<T>,
  logger: Logger,
  { backoff = DEPENDENCY_BACKOFF, retryable = () => true }: WaitOptions = {},
): Promise<T> {
  const label = DEPENDENCY_LABELS[dependency];
  for (let failures = 0; ; ) {
    try {
      const result = await attempt();
      waiting.delete(dependency);
      if (failures > 0) logger.info({ dependency, attempts: failures + 1 }, `${label} is reachable`);
      return result;
    } catch (error) {
      if (!retryable(error)) throw error;
      failures += 1;
      waiting.add(dependency);
      const retryInMs = Math.max(MIN_DELAY_MS, computeBackoffMs(failures, backoff));
      logger.warn({ dependency, attempt: failures, retryInMs, error: safeConnectionError(error) }, `${label} is not reachable; retrying`);
      await new Promise((resolve) => setTimeout(resolve, retryInMs));
    }
  }
}

/** An error as a log may show it: name, code and message, with `user:password@` in any URL masked. */
export function safeConnectionError(error: unknown): { name: string; code?: string; message: string } {
  const { name = 'Error', code, message = String(error) } = (error ?? {}) as { name?: string; code?: unknown; message?: string };
  return {
    name,
    ...(typeof code === 'string' || typeof code === 'number' ? { code: String(code) } : {}),
    message: String(message).replace(/(\/\/)[^/@\s]*@/g, '$1***@'),
  };
}
