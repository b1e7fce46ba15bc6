import { RunRpc, type GetRunRequest, type RunView } from '@policyvault/contracts';
import type { NatsRequestClient } from '../messaging/nats-request.client.js';
import { rpcEndpoint } from '../messaging/rpc-endpoint.js';

const PROBE_TIMEOUT_MS = 5000;
const CACHE_MS = 1000;
const getRun = rpcEndpoint<GetRunRequest, RunView>(RunRpc.get);

/**
 * Asks run-service how a run stands, for the workers: a command whose run already ended (canceled
 * while queued, or finished before a redelivery) is skipped, and a running handler checks between
 * items whether a cancel was asked for. Answers are cached for a second; when run-service cannot
 * answer, work goes on (a cancel then takes effect at the next check).
 */
export class RunStateProbe {
  private readonly cache = new Map<string, { at: number; run: RunView | undefined }>();

  constructor(private readonly client: NatsRequestClient) {}

  async current(tenantId: string, runId: string): Promise<RunView | undefined> {
    const cached = this.cache.get(runId);
    if (cached && Date.now() - cached.at < CACHE_MS) return cached.run;
    let run: RunView | undefined;
    try {
      run = await this.client.request(getRun, { tenantId, runId }, { timeoutMs: PROBE_TIMEOUT_MS });
    } catch {
      run = undefined;
    }
    this.cache.set(runId, { at: Date.now(), run });
    if (this.cache.size > 10_000) this.cache.delete(this.cache.keys().next().value as string);
    return run;
  }

  forget(runId: string): void {
    this.cache.delete(runId);
  }
}
