// Request/reply against a stack's services over the namespaced NATS transport (as the gateway does).
import { firstValueFrom } from 'rxjs';
import { NamespacedNatsClient } from '@policyvault/platform';
import { NATS_URL } from './test-run.js';

export interface NatsRpc {
  request<T>(pattern: string, payload: object): Promise<T>;
  /** Resolves to the error body (`{ code, message }`) a failing request answers with. */
  requestError(pattern: string, payload: object): Promise<{ code: string; message: string }>;
  close(): Promise<void>;
}

export async function connectNatsRpc(namespace: string, { url = NATS_URL, user }: { url?: string; user?: { user: string; pass: string } } = {}): Promise<NatsRpc> {
  const client = new NamespacedNatsClient(namespace, { servers: url, timeout: 10_000, ...user });
  await client.connect();
  const rpc: NatsRpc = {
    request: <T>(pattern: string, payload: object) => firstValueFrom(client.send<T>(pattern, payload)),
    async requestError(pattern, payload) {
      try {
        await rpc.request(pattern, payload);
      } catch (error) {
        return error as { code: string; message: string };
      }
      throw new Error(`${pattern} succeeded; an error was expected`);
    },
    close: () => client.close(),
  };
  return rpc;
}
