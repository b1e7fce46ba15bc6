// Drives runs through the gateway like an operator: start, read, wait until terminal, list items.
import { TERMINAL_RUN_STATUSES, type Page, type RunItemView, type RunView, type StartRunReply } from '@policyvault/contracts';
import { waitFor } from './wait-for.js';

export interface StartedRun {
  httpStatus: number;
  reply: StartRunReply;
}

export interface GatewayRuns {
  start(tenantId: string, body: { type: string; target: object; scope: object }): Promise<StartedRun>;
  get(tenantId: string, runId: string): Promise<RunView>;
  /** Polls until the run is terminal (no sleeps of a fixed length). */
  waitUntilTerminal(tenantId: string, runId: string, options?: { timeoutMs?: number }): Promise<RunView>;
  /** Every item of the run, all pages. */
  items(tenantId: string, runId: string): Promise<RunItemView[]>;
}

export function gatewayRuns(gatewayUrl: string, token: string): GatewayRuns {
  const headers = { authorization: `Bearer ${token}`, 'content-type': 'application/json' };
  const call = async <T>(path: string, init: RequestInit = {}): Promise<{ status: number; body: T }> => {
    const response = await fetch(`${gatewayUrl}${path}`, { ...init, headers });
    const body = (await response.json()) as T;
    if (response.status >= 400) throw new Error(`${init.method ?? 'GET'} ${path} answered ${response.status}: ${JSON.stringify(body)}`);
    return { status: response.status, body };
  };
  const runs = {
    async start(tenantId: string, body: object) {
      const { status, body: reply } = await call<StartRunReply>(`/api/tenants/${tenantId}/runs`, { method: 'POST', body: JSON.stringify(body) });
      return { httpStatus: status, reply };
    },
    async get(tenantId: string, runId: string) {
      return (await call<RunView>(`/api/tenants/${tenantId}/runs/${runId}`)).body;
    },
    waitUntilTerminal(tenantId: string, runId: string, { timeoutMs = 30_000 } = {}) {
      return waitFor(
        () => runs.get(tenantId, runId),
        (run) => TERMINAL_RUN_STATUSES.includes(run.status),
        { timeoutMs, intervalMs: 100, what: `run ${runId} to end` },
      );
    },
    async items(tenantId: string, runId: string) {
      const items: RunItemView[] = [];
      let cursor: string | null = null;
      do {
        const query: string = `limit=200${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`;
        const page: Page<RunItemView> = (await call<Page<RunItemView>>(`/api/tenants/${tenantId}/runs/${runId}/items?${query}`)).body;
        items.push(...page.items);
        cursor = page.nextCursor;
      } while (cursor);
      return items;
    },
  };
  return runs;
}
