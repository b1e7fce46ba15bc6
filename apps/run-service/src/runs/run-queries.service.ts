import { Injectable } from '@nestjs/common';
import {
  DEFAULT_PAGE_SIZE,
  type ActiveRunsReply,
  type ActiveRunsRequest,
  type GetRunRequest,
  type LatestRunSummariesReply,
  type LatestRunSummariesRequest,
  type ListRunItemsRequest,
  type ListRunsRequest,
  type Page,
  type RunItemView,
  type RunView,
} from '@policyvault/contracts';
import { RpcException } from '@policyvault/platform';
import { decodeCursor, encodeCursor } from '@policyvault/platform';
import { toRunItemView, toRunView } from './run-view.mapper.js';
import { RunRepository } from './run.repository.js';

/** Read side of the run tables for the API. Every query is scoped by the tenant id it is given. */
@Injectable()
export class RunQueriesService {
  constructor(private readonly runs: RunRepository) {}

  async get({ tenantId, runId, tenantDirectoryId }: GetRunRequest): Promise<RunView> {
    const run = await this.runs.find(tenantId, runId);
    if (!run) throw RpcException.notFoundOrOtherTenant('run', await this.runs.tenantOf(runId), tenantId);
    // A worker's command check names the directory too: a command for another directory has no run.
    if (tenantDirectoryId !== undefined && run.tenantDirectoryId !== tenantDirectoryId) throw RpcException.notFound('run');
    return toRunView(run);
  }

  /** Newest first; keyset pagination on (queued_at, id), so pages stay stable while runs arrive. */
  async list({ tenantId, limit = DEFAULT_PAGE_SIZE, cursor, ...filters }: ListRunsRequest): Promise<Page<RunView>> {
    const after = cursor ? decodeCursor(cursor, 2) : undefined;
    const { rows, sortInstants } = await this.runs.page(tenantId, { ...filters, after, limit: limit + 1 });
    const page = rows.slice(0, limit);
    const last = page[page.length - 1];
    return {
      items: page.map(toRunView),
      nextCursor: rows.length > limit && last ? encodeCursor([sortInstants[page.length - 1], last.id]) : null,
    };
  }

  /** Per tenant, the summary of its latest ended run of the type (tenants without one are left out). */
  async latestSummaries({ type, tenantIds }: LatestRunSummariesRequest): Promise<LatestRunSummariesReply> {
    const runs = await this.runs.latestWithSummary([...new Set(tenantIds.map((id) => id.toLowerCase()))], type);
    return {
      items: runs.map((run) => ({
        tenantId: run.tenantId,
        runId: run.id,
        status: run.status,
        summary: run.summary ?? {},
        finishedAt: (run.finishedAt ?? run.queuedAt).toISOString(),
      })),
    };
  }

  /** The queued and running runs of the tenants, newest first, at most `limit` (a live view's snapshot). */
  async activeRuns({ tenantIds, limit }: ActiveRunsRequest): Promise<ActiveRunsReply> {
    const rows = await this.runs.active([...new Set(tenantIds.map((id) => id.toLowerCase()))], limit + 1);
    return { runs: rows.slice(0, limit).map(toRunView), truncated: rows.length > limit };
  }

  async listItems({ tenantId, runId, limit = DEFAULT_PAGE_SIZE, cursor }: ListRunItemsRequest): Promise<Page<RunItemView>> {
    const after = cursor ? decodeCursor(cursor, 1)[0] : null;
    const rows = await this.runs.items(tenantId, runId, after, limit + 1);
    if (!rows) throw RpcException.notFoundOrOtherTenant('run', await this.runs.tenantOf(runId), tenantId);
    const page = rows.slice(0, limit);
    const last = page[page.length - 1];
    return {
      items: page.map(toRunItemView),
      nextCursor: rows.length > limit && last ? encodeCursor([last.itemKey]) : null,
    };
  }
}
