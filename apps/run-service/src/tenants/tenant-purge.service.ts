import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource, EntityManager } from 'typeorm';
import type { Logger } from 'pino';
import type { JetStreamNames } from '@policyvault/contracts';
import { JETSTREAM_NAMES, LOGGER } from '@policyvault/platform';
import { AuditService } from '../audit/audit.service.js';
import { OutboxEntity } from '../outbox/outbox.entity.js';
import { OutboxRelay } from '../outbox/outbox-relay.service.js';
import { RunServiceConfig } from '../run-service.config.js';
import { TenantFleetStatusEntity } from '../fleet/tenant-fleet-status.entity.js';
import { RunEntity } from '../runs/run.entity.js';
import { BackupScheduleEntity } from '../schedules/backup-schedule.entity.js';
import { ScheduleSlotEntity } from '../schedules/schedule-slot.entity.js';
import { RemovedTenantEntity } from './removed-tenant.entity.js';
import { enqueueTenantPurgeEvent, tenantPurgeMessageId } from './tenant-purge-event.builder.js';

/** Tenants purged per tick at most (each in its own transaction); the rest wait for the next tick. */
const PURGES_PER_TICK = 20;
const PURGE_ACTOR = 'system:retention';

/**
 * On the scheduler's tick: each removed tenant whose retention (REMOVED_TENANT_RETENTION_MS after its
 * `disabledAt`) has passed is purged, one transaction per tenant: run-service deletes its runs (and
 * their items), fleet status, outbox rows, schedules and slots, writes the purge event to the outbox (every other
 * service deletes its own rows when it arrives), records `tenant.purged` in the audit trail and sets
 * `purged_at`. The audit trail is kept. `FOR UPDATE SKIP LOCKED` shares the work between replicas;
 * a tenant purged once is never due again.
 */
@Injectable()
export class TenantPurgeService {
  constructor(
    @InjectDataSource() private readonly database: DataSource,
    @Inject(JETSTREAM_NAMES) private readonly names: JetStreamNames,
    @Inject(LOGGER) private readonly logger: Logger,
    private readonly config: RunServiceConfig,
    private readonly audit: AuditService,
    private readonly relay: OutboxRelay,
  ) {}

  /** Purges the tenants due at `now`; answers how many. */
  async purgeDue(now: Date): Promise<number> {
    const dueBefore = new Date(now.getTime() - this.config.REMOVED_TENANT_RETENTION_MS);
    let purged = 0;
    while (purged < PURGES_PER_TICK && (await this.database.transaction((manager) => this.purgeOne(manager, dueBefore, now)))) purged += 1;
    if (purged > 0) this.relay.kick();
    return purged;
  }

  private async purgeOne(manager: EntityManager, dueBefore: Date, now: Date): Promise<boolean> {
    const tenant = await manager
      .getRepository(RemovedTenantEntity)
      .createQueryBuilder('removed')
      .where('removed.purgedAt IS NULL AND removed.disabledAt <= :dueBefore', { dueBefore })
      .orderBy('removed.disabledAt', 'ASC')
      .limit(1)
      .setLock('pessimistic_write')
      .setOnLocked('skip_locked')
      .getOne();
    if (!tenant) return false;
    const { tenantId } = tenant;
    const schedules = manager.createQueryBuilder().subQuery().select('schedule.id').from(BackupScheduleEntity, 'schedule').where('schedule.tenant_id = :tenantId').getQuery();
    const slots = await manager.createQueryBuilder().delete().from(ScheduleSlotEntity).where(`schedule_id IN ${schedules}`, { tenantId }).execute();
    const scheduleRows = await manager.createQueryBuilder().delete().from(BackupScheduleEntity).where('tenant_id = :tenantId', { tenantId }).execute();
    // Items go with their runs (ON DELETE CASCADE).
    const runs = await manager.createQueryBuilder().delete().from(RunEntity).where('tenant_id = :tenantId', { tenantId }).execute();
    await manager.delete(TenantFleetStatusEntity, { tenantId });
    // Commands and status events carry the tenant id in their payload (this one scan per purge is the price of no column).
    const outbox = await manager
      .createQueryBuilder()
      .delete()
      .from(OutboxEntity)
      .where(`payload ->> 'tenantId' = :tenantId AND message_id <> :purgeId`, { tenantId, purgeId: tenantPurgeMessageId(tenantId) })
      .execute();
    await enqueueTenantPurgeEvent(manager, this.names, { tenantId, disabledAt: tenant.disabledAt.toISOString(), purgedAt: now.toISOString() });
    await manager.update(RemovedTenantEntity, { tenantId }, { purgedAt: now });
    const deleted = { runs: runs.affected ?? 0, schedules: scheduleRows.affected ?? 0, scheduleSlots: slots.affected ?? 0, outboxMessages: outbox.affected ?? 0 };
    await this.audit.record(manager, {
      tenantId,
      actor: PURGE_ACTOR,
      action: 'tenant.purged',
      details: { disabledAt: tenant.disabledAt.toISOString(), retentionMs: this.config.REMOVED_TENANT_RETENTION_MS, deleted },
    });
    this.logger.info({ tenantId, deleted }, 'removed tenant purged after its retention');
    return true;
  }
}
