import { Injectable, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { DirectoryRpc, type ListTenantOwnersRequest, type TenantOwnersReply } from '@policyvault/contracts';
import { NatsRequestClient, natsAuthOptions, rpcEndpoint } from '@policyvault/platform';
import { NotifierConfig } from '../notifier.config.js';

const tenantOwners = rpcEndpoint<ListTenantOwnersRequest, TenantOwnersReply>(DirectoryRpc.tenantOwners);

/** The owners of a tenant, from the gateway that owns users and memberships (DirectoryRpc). */
@Injectable()
export class TenantOwnersClient implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly client: NatsRequestClient;

  constructor(private readonly config: NotifierConfig) {
    this.client = new NatsRequestClient({ namespace: config.NATS_NAMESPACE, servers: config.NATS_URL, name: 'notifier-directory', ...natsAuthOptions(config) });
  }

  async onApplicationBootstrap(): Promise<void> {
    await this.client.connect();
  }

  async onApplicationShutdown(): Promise<void> {
    await this.client.close();
  }

  /** Throws RpcException (`unavailable` when the gateway does not answer): the event is retried. */
  async owners(tenantId: string): Promise<TenantOwnersReply['owners']> {
    return (await this.client.request(tenantOwners, { tenantId }, { timeoutMs: this.config.DIRECTORY_TIMEOUT_MS })).owners;
  }
}
