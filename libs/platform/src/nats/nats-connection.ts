import type { ConnectionOptions, NatsConnection } from '@nats-io/transport-node';
import type { Logger } from 'pino';
import type { CommonConfig } from '../config/common.config.js';
import { waitForDependency } from '../startup/wait-for-dependency.js';
import { natsAuthOptions } from './nats-auth.js';
import { connectCoalescing } from './coalescing-node-transport.js';

/** NATS_URL holds one server or a cluster's servers, comma-separated; a client may use any that is up. */
export function natsServers(url: string): string[] {
  return url
    .split(',')
    .map((server) => server.trim())
    .filter((server) => server.length > 0);
}

type NatsConnectionConfig = Pick<CommonConfig, 'NATS_URL'> & Partial<Pick<CommonConfig, 'NATS_USER' | 'NATS_PASSWORD'>>;

/**
 * Options of every NATS connection a service opens (its main one, the RPC server, request clients):
 * all of NATS_URL's servers, reconnect forever, and wait for a server on the first connect too
 * (connections opened after the main one must not fail the boot if NATS drops in between), and the
 * service's NATS user when it has one. No async traces: the client would otherwise capture a stack (an Error) for
 * every request and JetStream publish in case it fails — several per start on the start path; a failure keeps
 * its type and message (TimeoutError, NoRespondersError in a RequestError), and ours become RpcExceptions anyway.
 */
export function natsConnectionOptions(config: NatsConnectionConfig, name: string) {
  return {
    ...natsAuthOptions(config),
    servers: natsServers(config.NATS_URL),
    name,
    maxReconnectAttempts: -1,
    reconnectTimeWait: 500,
    waitOnFirstConnect: true,
    noAsyncTraces: true,
  } satisfies ConnectionOptions;
}

/**
 * The service's main connection: tries every server of NATS_URL, and while none answers retries with
 * backoff (one warning per attempt), so a service started before NATS waits for it instead of exiting. Its writes
 * are coalesced per loop turn (coalescing-node-transport.ts).
 */
export function connectNats(config: NatsConnectionConfig, name: string, logger: Logger): Promise<NatsConnection> {
  return waitForDependency('nats', () => connectCoalescing({ ...natsConnectionOptions(config, name), waitOnFirstConnect: false, timeout: 5_000 }), logger);
}
