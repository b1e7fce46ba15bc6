import { isDeepStrictEqual } from 'node:util';
import { RpcErrorCode, RunRpc, type GetRunRequest, type RunCommand, type RunView } from '@policyvault/contracts';
import type { NatsRequestClient } from '../messaging/nats-request.client.js';
import { rpcEndpoint } from '../messaging/rpc-endpoint.js';
import { RpcException } from '../messaging/rpc.exception.js';

const PROBE_TIMEOUT_MS = 5000;
const CACHE_MS = 1000;
const getRun = rpcEndpoint<GetRunRequest, RunView>(RunRpc.get);

/** What run-service says of a command before any work: its run, not its run (refuse it), or no answer. */
export type CommandRunCheck = { kind: 'run'; run: RunView } | { kind: 'not-its-run'; reason: string } | { kind: 'unavailable' };

/**
 * Asks run-service how a run stands, for the workers: a command is checked against its run before any
 * work (`check`), a command whose run already ended (canceled while queued, or finished before a
 * redelivery) is skipped, and a running handler checks between items whether a cancel was asked for
 * (`current`, cached for a second; when run-service cannot answer, work goes on and a cancel takes
 * effect at the next check).
 */
export class RunStateProbe {
  private readonly cache = new Map<string, { at: number; run: RunView | undefined }>();

  constructor(private readonly client: NatsRequestClient) {}

  /**
   * Whether the command is the one run-service queued for its run: the run exists in the command's
   * tenant and directory, with the same type, target and scope. Never answered from the cache.
   */
  async check(command: RunCommand): Promise<CommandRunCheck> {
    const { runId, tenantId, tenantDirectoryId } = command;
    let run: RunView;
    try {
      run = await this.client.request(getRun, { tenantId, runId, tenantDirectoryId }, { timeoutMs: PROBE_TIMEOUT_MS });
    } catch (error) {
      // No such run in this tenant: another tenant's run id is no more this command's run than none.
      if (error instanceof RpcException && (error.code === RpcErrorCode.NotFound || error.code === RpcErrorCode.OtherTenant)) {
        return { kind: 'not-its-run', reason: `run ${runId} does not exist in tenant ${tenantId} (directory ${tenantDirectoryId})` };
      }
      if (error instanceof RpcException && error.code === RpcErrorCode.ValidationFailed) return { kind: 'not-its-run', reason: error.message };
      return { kind: 'unavailable' };
    }
    const differing = (['type', 'target', 'scope'] as const).filter((field) => !isDeepStrictEqual(run[field], command[field]));
    if (differing.length > 0) return { kind: 'not-its-run', reason: `run ${runId} has another ${differing.join(', ')}` };
    this.remember(tenantId, runId, run);
    return { kind: 'run', run };
  }

  async current(tenantId: string, runId: string): Promise<RunView | undefined> {
    const cached = this.cache.get(`${tenantId}:${runId}`);
    if (cached && Date.now() - cached.at < CACHE_MS) return cached.run;
    let run: RunView | undefined;
    try {
      run = await this.client.request(getRun, { tenantId, runId }, { timeoutMs: PROBE_TIMEOUT_MS });
    } catch {
      run = undefined;
    }
    this.remember(tenantId, runId, run);
    return run;
  }

  forget(tenantId: string, runId: string): void {
    this.cache.delete(`${tenantId}:${runId}`);
  }

  private remember(tenantId: string, runId: string, run: RunView | undefined): void {
    this.cache.set(`${tenantId}:${runId}`, { at: Date.now(), run });
    if (this.cache.size > 10_000) this.cache.delete(this.cache.keys().next().value as string);
  }
}
