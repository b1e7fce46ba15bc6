import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import {
  DEFAULT_PAGE_SIZE,
  type GetRunRequest,
  type ListRunItemsRequest,
  type ListRunsRequest,
  type Page,
  type RunItemView,
  type RunView,
} from '@policyvault/contracts';
import { RpcException, decodeCursor, encodeCursor } from '@policyvault/platform';
import { toRunItemView, toRunView, type RunItemRow, type RunRow } from './run-view.mapper.js';

/** Read side of the run tables for the API. Every query is scoped by the tenant id it is given. */
@Injectable()
export class RunQueriesService {
  constructor(@InjectDataSource() private readonly database: DataSource) {}

  async get({ tenantId, runId }: GetRunRequest): Promise<RunView> {
    const rows: RunRow[] = await this.database.query(
      `SELECT * FROM run_service.runs WHERE id = $1 AND tenant_id = $2`,
      [runId, tenantId],
    );
    if (rows.length === 0) throw RpcException.notFound('run');
    return toRunView(rows[0]);
  }

  /** Newest first; keyset pagination on (queued_at, id), so pages stay stable while runs arrive. */
  async list({ tenantId, status, type, limit = DEFAULT_PAGE_SIZE, cursor }: ListRunsRequest): Promise<Page<RunView>> {
    const after = cursor ? decodeCursor(cursor, 2) : undefined;
    const rows: (RunRow & { cursor_time: string })[] = await this.database.query(
      `SELECT *, to_json(queued_at) #>> '{}' AS cursor_time FROM run_service.runs
       WHERE tenant_id = $1
         AND ($2::text IS NULL OR status = $2)
         AND ($3::text IS NULL OR type = $3)
         AND ($4::timestamptz IS NULL OR (queued_at, id) < ($4::timestamptz, $5::uuid))
       ORDER BY queued_at DESC, id DESC
       LIMIT $6`,
      [tenantId, status ?? null, type ?? null, after?.[0] ?? null, after?.[1] ?? null, limit + 1],
    );
    const page = rows.slice(0, limit);
    const last = page[page.length - 1];
    return {
      items: page.map(toRunView),
      nextCursor: rows.length > limit && last ? encodeCursor([last.cursor_time, last.id]) : null,
    };
  }

  async listItems({ tenantId, runId, limit = DEFAULT_PAGE_SIZE, cursor }: ListRunItemsRequest): Promise<Page<RunItemView>> {
    const exists: unknown[] = await this.database.query(
      `SELECT 1 FROM run_service.runs WHERE id = $1 AND tenant_id = $2`,
      [runId, tenantId],
    );
    if (exists.length === 0) throw RpcException.notFound('run');
    const after = cursor ? decodeCursor(cursor, 1)[0] : null;
    const rows: RunItemRow[] = await this.database.query(
      `SELECT * FROM run_service.run_items
       WHERE run_id = $1 AND ($2::text IS NULL OR item_key > $2)
       ORDER BY item_key LIMIT $3`,
      [runId, after, limit + 1],
    );
    const page = rows.slice(0, limit);
    const last = page[page.length - 1];
    return {
      items: page.map(toRunItemView),
      nextCursor: rows.length > limit && last ? encodeCursor([last.item_key]) : null,
    };
  }
}
