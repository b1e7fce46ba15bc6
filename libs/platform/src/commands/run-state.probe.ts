import { isDeepStrictEqual } from 'node:util';
import { RpcErrorCode, RunRpc, type GetRunRequest, type RunCommand, type RunView } from '@policyvault/contracts';
import type { NatsRequestClient } from '../messaging/nats-request.client.js';
import { rpcEndpoint } from '../messaging/rpc-endpoint.js';
import { RpcException } from '../messaging/rpc.exception.js';

const PROBE_TIMEOUT_MS = 5000;
/** An answer this young is used as it is. */
const CACHE_MS = 1000;
/**
 * An older answer, up to this age, is still used while the fresh one is on its way (the check does not wait for
 * run-service); past it the check waits. So a cancel is seen at most this long (plus one answer) after it is asked.
 */
const STALE_MS = 3000;
const getRun = rpcEndpoint<GetRunRequest, RunView>(RunRpc.get);

/** What run-service says of a command before any work: its run, not its run (refuse it), or no answer. */
export type CommandRunCheck = { kind: 'run'; run: RunView } | { kind: 'not-its-run'; reason: string } | { kind: 'unavailable' };

/**
 * Asks run-service how a run stands, for the workers: a command is checked against its run before any
 * work (`check`), a command whose run already ended (canceled while queued, or finished before a
 * redelivery) is skipped, and a running handler checks between items whether a cancel was asked for
 * (`current`: one request at a time per run, its answer used for a second as it is and for STALE_MS while the
 * next one is on its way, so checks between items rarely wait for run-service; when run-service cannot answer,
 * work goes on and a cancel takes effect at the next check).
 */
export class RunStateProbe {
  private readonly cache = new Map<string, { at: number; run: RunView | undefined }>();
  private readonly asking = new Map<string, Promise<RunView | undefined>>();

  constructor(
    private readonly client: NatsRequestClient,
    private readonly now: () => number = Date.now,
  ) {}

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
    const key = `${tenantId}:${runId}`;
    const cached = this.cache.get(key);
    const age = cached ? this.now() - cached.at : Infinity;
    if (cached && age < CACHE_MS) return cached.run;
    let asked = this.asking.get(key);
    if (!asked) {
      asked = this.ask(tenantId, runId).finally(() => this.asking.delete(key));
      this.asking.set(key, asked);
    }
    return cached && age < STALE_MS ? cached.run : asked;
  }

  private async ask(tenantId: string, runId: string): Promise<RunView | undefined> {
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
    this.cache.set(`${tenantId}:${runId}`, { at: this.now(), run });
    if (this.cache.size > 10_000) this.cache.delete(this.cache.keys().next().value as string);
  }
}
