import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import type { FleetStatusReply, FleetStatusRequest, FleetTenantRunStatus, RunStatus, RunStatusesReply, RunStatusesRequest } from '@policyvault/contracts';
import { selectFleetPage, selectFleetTenantIds, selectRunStatuses, type FleetStatusParameters, type FleetStatusRow } from '../database/run-service.sql.js';
import { FLEET_ORDER_SQL } from './fleet-run-kinds.js';
import { toFleetTenantRunStatus } from './fleet-status.mapper.js';

/** Read side for the fleet: aggregates over many tenants, each request one statement. */
@Injectable()
export class FleetStatusService {
  constructor(@InjectDataSource() private readonly database: DataSource) {}

  async status(request: FleetStatusRequest): Promise<FleetStatusReply> {
    const order = FLEET_ORDER_SQL[request.sort];
    const parameters: FleetStatusParameters = {
      tenantIds: request.tenantIds,
      health: request.filter.health ?? null,
      drift: request.filter.drift ?? null,
      noSuccessfulBackupSince: request.filter.noSuccessfulBackupSince ?? null,
      limit: request.limit,
      offset: request.offset,
    };
    if (request.idsOnly) {
      const tenantIds = await selectFleetTenantIds(this.database, order, parameters);
      return { total: tenantIds.length, items: [], tenantIds };
    }
    const byNameOnly = !request.filter.health && !request.filter.drift && !request.filter.noSuccessfulBackupSince && (request.sort === 'name' || request.sort === '-name');
    if (byNameOnly) {
      // The page is known from the order of the ids alone (the default view): aggregate only its tenants.
      const ordered = request.sort === 'name' ? request.tenantIds : [...request.tenantIds].reverse();
      const pageIds = ordered.slice(request.offset, request.offset + request.limit);
      const rows = pageIds.length > 0 ? await selectFleetPage(this.database, FLEET_ORDER_SQL.name, { ...parameters, tenantIds: pageIds, offset: 0 }) : [];
      return { total: request.tenantIds.length, items: this.items(rows) };
    }
    const rows = await selectFleetPage(this.database, order, parameters);
    return { total: rows[0]?.total ?? 0, items: this.items(rows) };
  }

  private items(rows: FleetStatusRow[]): FleetTenantRunStatus[] {
    return rows.flatMap((row) => (row.tenant_id === null ? [] : [toFleetTenantRunStatus({ ...row, tenant_id: row.tenant_id })]));
  }

  async statuses({ runs }: RunStatusesRequest): Promise<RunStatusesReply> {
    if (runs.length === 0) return { runs: [] };
    const rows = await selectRunStatuses(this.database, runs);
    return {
      runs: rows.map((row) => ({
        runId: row.runId,
        tenantId: row.tenantId,
        status: row.status as RunStatus,
        errorCode: row.errorCode,
        finishedAt: row.finishedAt ? row.finishedAt.toISOString() : null,
      })),
    };
  }
}
