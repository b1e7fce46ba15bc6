import { firstValueFrom, timeout } from 'rxjs';
import { natsConnectionOptions } from '../nats/nats-connection.js';
import { NamespacedNatsClient } from '../nats/namespaced-nats.transport.js';
import type { NatsAuthOptions } from '../nats/nats-auth.js';
import type { RpcEndpoint } from './rpc-endpoint.js';
import { rpcExceptionFromReply } from './rpc-reply-error.js';
import { rpcClientDuration, rpcClientRequests } from '../metrics/platform.metrics.js';

export interface NatsRequestClientOptions extends NatsAuthOptions {
  namespace: string;
  /** NATS_URL: one server or several, comma-separated. */
  servers: string;
  /** The connection's name as NATS monitoring shows it (`gateway-rpc-client`). */
  name: string;
}

export interface RequestOptions {
  timeoutMs: number;
  /** For commands answered without a value (a delete): an empty reply is success, not "no responder". */
  emptyReplyIsSuccess?: boolean;
}

/**
 * The one NATS request/reply client: a namespaced connection that reconnects forever, one reply per
 * request within a timeout, and every failure thrown as an RpcException (see rpcExceptionFromReply).
 * The services' queue groups spread the requests over their replicas.
 */
export class NatsRequestClient {
  private readonly client: NamespacedNatsClient;

  constructor({ namespace, servers, name, ...auth }: NatsRequestClientOptions) {
    this.client = new NamespacedNatsClient(namespace, { ...natsConnectionOptions({ NATS_URL: servers }, name), ...auth });
  }

  async connect(): Promise<void> {
    await this.client.connect();
  }

  async close(): Promise<void> {
    await this.client.close();
  }

  /** The service's reply, or an RpcException saying what its answer (or silence) means. */
  async request<Request extends object, Reply>(endpoint: RpcEndpoint<Request, Reply>, payload: Request, options: RequestOptions): Promise<Reply> {
    const pattern = endpoint.pattern;
    const done = rpcClientDuration.startTimer();
    try {
      const reply = this.client.send<Reply>(pattern, payload).pipe(timeout({ first: options.timeoutMs }));
      const value = options.emptyReplyIsSuccess ? ((await firstValueFrom(reply, { defaultValue: undefined })) as Reply) : await firstValueFrom(reply);
      rpcClientRequests.inc({ pattern, outcome: 'ok' });
      return value;
    } catch (error) {
      const exception = rpcExceptionFromReply(error);
      rpcClientRequests.inc({ pattern, outcome: exception.code });
      throw exception;
    } finally {
      done({ pattern });
    }
  }
}
