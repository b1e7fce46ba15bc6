import { Injectable, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { NatsRequestClient, natsAuthOptions, rpcEndpoint } from '@policyvault/platform';
import { GatewayConfig } from '../gateway.config.js';
import { gatewayExceptionFromRpcError } from './rpc-error.mapper.js';

/** A service the gateway calls over request/reply; its name appears in 502/503 messages. */
export interface RpcService {
  name: string;
  timeoutMs: number;
}

export interface RpcRequest {
  pattern: string;
  payload: object;
  /** The 404 message when the service answers `not_found` (`run not found in this tenant`). */
  notFound?: string;
  /** For commands answered without a value (a delete): an empty reply is success, not "no responder". */
  emptyReplyIsSuccess?: boolean;
}

const DEFAULT_NOT_FOUND = 'not found in this tenant';

/**
 * The gateway's adapter over the platform's NatsRequestClient, shared by every service client
 * (run-service, backup store…): one connection, and each failure's RpcException turned into the
 * GatewayException that says what it means over HTTP.
 */
@Injectable()
export class NatsRpcClient implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly client: NatsRequestClient;

  constructor(config: GatewayConfig) {
    this.client = new NatsRequestClient({ namespace: config.NATS_NAMESPACE, servers: config.NATS_URL, name: 'gateway-rpc-client', ...natsAuthOptions(config) });
  }

  async onApplicationBootstrap(): Promise<void> {
    await this.client.connect();
  }

  async onApplicationShutdown(): Promise<void> {
    await this.client.close();
  }

  /** The service's reply, or a GatewayException saying what its answer (or silence) means over HTTP. */
  async request<T>(service: RpcService, { pattern, payload, notFound = DEFAULT_NOT_FOUND, emptyReplyIsSuccess = false }: RpcRequest): Promise<T> {
    try {
      return await this.client.request(rpcEndpoint<object, T>(pattern), payload, { timeoutMs: service.timeoutMs, emptyReplyIsSuccess });
    } catch (error) {
      throw gatewayExceptionFromRpcError(error, { service: service.name, timeoutMs: service.timeoutMs, notFound });
    }
  }
}
