import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import type { RemoveTenantReply, RemoveTenantRequest } from '@policyvault/contracts';
import { OutboxRelay } from '../outbox/outbox-relay.service.js';
import { RunServiceConfig } from '../run-service.config.js';
import { CancelRunService } from '../runs/cancel-run.service.js';
import { BackupSchedulesService } from '../schedules/backup-schedules.service.js';
import { RemovedTenantEntity } from './removed-tenant.entity.js';

/**
 * What run-service does when the gateway removes a tenant, in one transaction: the retention clock
 * starts (`removed_tenants`, the first `disabledAt` kept), its schedules are paused and its queued and
 * running runs are canceled through the one cancel path (reason `tenant_removed`). Asking again does
 * what is left (nothing, usually).
 */
@Injectable()
export class TenantRemovalService {
  constructor(
    @InjectDataSource() private readonly database: DataSource,
    private readonly config: RunServiceConfig,
    private readonly schedules: BackupSchedulesService,
    private readonly cancel: CancelRunService,
    private readonly relay: OutboxRelay,
  ) {}

  async remove(request: RemoveTenantRequest): Promise<RemoveTenantReply> {
    const reply = await this.database.transaction(async (manager) => {
      await manager
        .createQueryBuilder()
        .insert()
        .into(RemovedTenantEntity)
        .values({ tenantId: request.tenantId, disabledAt: new Date(request.disabledAt) })
        .orIgnore()
        .updateEntity(false)
        .execute();
      const removal = await manager.findOneByOrFail(RemovedTenantEntity, { tenantId: request.tenantId });
      const pausedSchedules = await this.schedules.pauseTenant(manager, request.tenantId, request.requestedBy);
      const runs = await this.cancel.cancelTenantRuns(manager, request.tenantId, request.requestedBy);
      return {
        pausedSchedules,
        canceledRuns: runs.canceled,
        cancelRequestedRuns: runs.cancelRequested,
        purgeAfter: new Date(removal.disabledAt.getTime() + this.config.REMOVED_TENANT_RETENTION_MS).toISOString(),
      };
    });
    if (reply.canceledRuns > 0) this.relay.kick();
    return reply;
  }
}
