import { Injectable, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { firstValueFrom, timeout } from 'rxjs';
import {
  RunRpc,
  type GetRunRequest,
  type ListRunItemsRequest,
  type ListRunsRequest,
  type Page,
  type RunItemView,
  type RunView,
  type StartRunReply,
  type StartRunRequest,
} from '@policyvault/contracts';
import { NamespacedNatsClient } from '@policyvault/platform';
import { GatewayConfig } from '../gateway.config.js';
import { gatewayExceptionFromRunServiceError } from './run-service-error.mapper.js';

/** Request/reply with run-service over core NATS (its queue group spreads calls over its replicas). */
@Injectable()
export class RunServiceClient implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly client: NamespacedNatsClient;

  constructor(private readonly config: GatewayConfig) {
    this.client = new NamespacedNatsClient(config.NATS_NAMESPACE, {
      servers: config.NATS_URL,
      name: 'gateway-run-service-client',
      maxReconnectAttempts: -1,
      reconnectTimeWait: 500,
    });
  }

  async onApplicationBootstrap(): Promise<void> {
    await this.client.connect();
  }

  async onApplicationShutdown(): Promise<void> {
    await this.client.close();
  }

  start(request: StartRunRequest): Promise<StartRunReply> {
    return this.call(RunRpc.start, request);
  }

  get(request: GetRunRequest): Promise<RunView> {
    return this.call(RunRpc.get, request);
  }

  list(request: ListRunsRequest): Promise<Page<RunView>> {
    return this.call(RunRpc.list, request);
  }

  listItems(request: ListRunItemsRequest): Promise<Page<RunItemView>> {
    return this.call(RunRpc.listItems, request);
  }

  private async call<T>(pattern: string, payload: object): Promise<T> {
    const timeoutMs = this.config.RUN_SERVICE_TIMEOUT_MS;
    try {
      return await firstValueFrom(this.client.send<T>(pattern, payload).pipe(timeout({ first: timeoutMs })));
    } catch (error) {
      throw gatewayExceptionFromRunServiceError(error, timeoutMs);
    }
  }
}
