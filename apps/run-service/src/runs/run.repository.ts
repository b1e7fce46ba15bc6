import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { EntityNotFoundError, In, type DataSource, type EntityManager } from 'typeorm';
import { RunStatus, RunType } from '@policyvault/contracts';
import { EntityRows, PreparedStatement, owningTenant } from '@policyvault/platform';
import { exactInstant, type KeysetPage } from '../database/query-helpers.js';
import { recordRunItemsReturning, runItemsParameters, type Queryable, type RunItemCounts } from '../database/run-service.sql.js';
import { RunItemEntity } from './run-item.entity.js';
import { RunEntity } from './run.entity.js';

interface RunPageQuery {
  status?: RunStatus;
  type?: RunType;
  initiator?: string;
  queuedFrom?: string;
  queuedTo?: string;
  /** The (queued_at, id) of the last run of the previous page. */
  after?: string[];
  limit: number;
}

/**
 * Runs and their items. Every method takes the tenant id of the rows it reads: a query that forgets
 * the tenant does not compile; `tenantOf` is the one exception (see `owningTenant`). Methods that take
 * an EntityManager run in the caller's transaction.
 */
@Injectable()
export class RunRepository {
  /** The run row as TypeORM's `find` would give it, for `find` and the statements every worker event makes (lock, update, items). */
  private readonly rows: EntityRows<RunEntity>;
  /** Prepared: planned once per connection, not at every worker event. */
  private readonly selectRun: PreparedStatement<Record<string, unknown>>;
  private readonly lockRun: PreparedStatement<Record<string, unknown>>;
  private readonly recordItemsOfRun: PreparedStatement<RunItemCounts & Record<string, unknown>>;

  constructor(@InjectDataSource() private readonly database: DataSource) {
    this.rows = new EntityRows(database, RunEntity);
    const selectRun = `SELECT ${this.rows.columns} FROM ${this.rows.table} WHERE id = $1 AND tenant_id = $2`;
    this.selectRun = new PreparedStatement('run_service_select_run', selectRun);
    this.lockRun = new PreparedStatement('run_service_lock_run', `${selectRun} FOR UPDATE`);
    this.recordItemsOfRun = recordRunItemsReturning('run_service_record_run_items', this.rows.columnsOf('r'));
  }

  async find(tenantId: string, runId: string, manager: EntityManager = this.database.manager): Promise<RunEntity | null> {
    const [row] = await this.selectRun.rows(manager, [runId, tenantId]);
    return row ? this.rows.hydrate(row) : null;
  }

  /** Which tenant holds the run, after a tenant's query missed it: `other_tenant` or `not_found`. */
  tenantOf(runId: string, manager: EntityManager = this.database.manager): Promise<string | null> {
    return owningTenant(manager, RunEntity, { id: runId });
  }

  /** The run, locked until the end of the caller's transaction (events of one run apply one at a time). */
  async lock(manager: EntityManager, tenantId: string, runId: string): Promise<RunEntity | null> {
    const [row] = await this.lockRun.rows(manager, [runId, tenantId]);
    return row ? this.rows.hydrate(row) : null;
  }

  /** The tenant's queued and running runs, locked in id order (several at once: always the same order). */
  lockActive(manager: EntityManager, tenantId: string): Promise<RunEntity[]> {
    return manager.find(RunEntity, {
      where: { tenantId, status: In([RunStatus.Queued, RunStatus.Running]) },
      order: { id: 'ASC' },
      lock: { mode: 'pessimistic_write' },
    });
  }

  /**
   * Marks (once) that the run's run-finished event waits for item events; returns how long it has
   * waited, by the database's clock (the same for every replica and every redelivery).
   */
  async finishWaitedMs(manager: EntityManager, run: Pick<RunEntity, 'id' | 'tenantId'>): Promise<number> {
    await manager.update(RunEntity, { id: run.id, tenantId: run.tenantId }, { finishReportedAt: () => 'COALESCE(finish_reported_at, clock_timestamp())' });
    const waited = await manager
      .createQueryBuilder(RunEntity, 'run')
      .select('extract(epoch FROM clock_timestamp() - run.finishReportedAt) * 1000', 'waitedMs')
      .where({ id: run.id, tenantId: run.tenantId })
      .getRawOne<{ waitedMs: string }>();
    return Number(waited?.waitedMs ?? 0);
  }

  /** The run as it is now in the caller's transaction, after the caller changed it. */
  async reload(manager: EntityManager, run: Pick<RunEntity, 'id' | 'tenantId'>): Promise<RunEntity> {
    const [row] = await this.selectRun.rows(manager, [run.id, run.tenantId]);
    if (!row) throw new EntityNotFoundError(RunEntity, { id: run.id, tenantId: run.tenantId });
    return this.rows.hydrate(row);
  }

  /**
   * Changes the run in the caller's transaction and answers it as it is after the change: `manager.update` and
   * `reload` in one round trip. Throws TypeORM's not-found error when the tenant has no such run.
   */
  async update(manager: Queryable, run: Pick<RunEntity, 'id' | 'tenantId'>, changes: Partial<RunEntity>): Promise<RunEntity> {
    const [updated] = await this.rows.update(manager, { id: run.id, tenantId: run.tenantId }, changes);
    if (!updated) throw new EntityNotFoundError(RunEntity, { id: run.id, tenantId: run.tenantId });
    return updated;
  }

  /**
   * Writes item reports of the run (a later report of an item replaces an earlier one, never the reverse), recounts
   * its items into it and answers the counts with the run as it is after: one round trip (`recordRunItemsReturning`).
   * Call only with the run locked in the caller's transaction, by an earlier statement (`lock`).
   */
  async recordItems(manager: EntityManager, run: Pick<RunEntity, 'id'>, items: RunItemEntity[]): Promise<{ counts: RunItemCounts; run: RunEntity }> {
    const [row] = await this.recordItemsOfRun.rows(manager, [run.id, ...runItemsParameters(items)]);
    return { counts: { total: row.total, succeeded: row.succeeded, failed: row.failed, skipped: row.skipped }, run: this.rows.hydrate(row) };
  }

  /** Newest first; keyset pagination on (queued_at, id), so pages stay stable while runs arrive. */
  async page(tenantId: string, { status, type, initiator, queuedFrom, queuedTo, after, limit }: RunPageQuery): Promise<KeysetPage<RunEntity>> {
    const query = this.database
      .getRepository(RunEntity)
      .createQueryBuilder('run')
      .addSelect(exactInstant('run.queued_at'), 'sort_instant')
      .where('run.tenantId = :tenantId', { tenantId });
    if (status) query.andWhere('run.status = :status', { status });
    if (type) query.andWhere('run.type = :type', { type });
    if (initiator) query.andWhere('lower(run.initiatorEmail) = lower(:initiator)', { initiator });
    if (queuedFrom) query.andWhere('run.queuedAt >= CAST(:queuedFrom AS timestamptz)', { queuedFrom });
    if (queuedTo) query.andWhere('run.queuedAt < CAST(:queuedTo AS timestamptz)', { queuedTo });
    if (after) {
      query.andWhere('(run.queuedAt, run.id) < (CAST(:afterInstant AS timestamptz), CAST(:afterId AS uuid))', {
        afterInstant: after[0],
        afterId: after[1],
      });
    }
    const { entities, raw } = await query
      .orderBy('run.queuedAt', 'DESC')
      .addOrderBy('run.id', 'DESC')
      .limit(limit)
      .getRawAndEntities<{ sort_instant: string }>();
    return { rows: entities, sortInstants: raw.map((row) => row.sort_instant) };
  }

  /** A run's items in key order after `afterKey`, or null when the tenant has no such run. */
  async items(tenantId: string, runId: string, afterKey: string | null, limit: number): Promise<RunItemEntity[] | null> {
    if (!(await this.database.getRepository(RunEntity).existsBy({ id: runId, tenantId }))) return null;
    const query = this.database.getRepository(RunItemEntity).createQueryBuilder('item').where('item.runId = :runId', { runId });
    if (afterKey !== null) query.andWhere('item.itemKey > :afterKey', { afterKey });
    return query.orderBy('item.itemKey', 'ASC').limit(limit).getMany();
  }

  /**
   * Per tenant, its latest ended run of `type` that recorded a summary: one statement for a page of
   * tenants (DISTINCT ON over the tenant listing index).
   */
  latestWithSummary(tenantIds: string[], type: RunType): Promise<RunEntity[]> {
    if (tenantIds.length === 0) return Promise.resolve([]);
    return this.database
      .getRepository(RunEntity)
      .createQueryBuilder('run')
      .distinctOn(['run.tenantId'])
      .where('run.tenantId IN (:...tenantIds) AND run.type = :type', { tenantIds, type })
      .andWhere('run.summary IS NOT NULL AND run.finishedAt IS NOT NULL')
      .orderBy('run.tenantId')
      .addOrderBy('run.queuedAt', 'DESC')
      .addOrderBy('run.id', 'DESC')
      .getMany();
  }

  /** The tenants' queued and running runs, newest first (the partial index `runs_tenant_active` finds them). */
  active(tenantIds: string[], limit: number): Promise<RunEntity[]> {
    if (tenantIds.length === 0) return Promise.resolve([]);
    return this.database
      .getRepository(RunEntity)
      .createQueryBuilder('run')
      // One array parameter: an administrator's snapshot names every tenant.
      .where('run.tenantId = ANY(CAST(:tenantIds AS uuid[]))', { tenantIds })
      .andWhere('run.status IN (:...active)', { active: [RunStatus.Queued, RunStatus.Running] })
      .orderBy('run.queuedAt', 'DESC')
      .addOrderBy('run.id', 'DESC')
      .limit(limit)
      .getMany();
  }

  /** The queued or running run of a backup schedule, if any. */
  activeScheduleRun(manager: EntityManager, tenantId: string, scheduleId: string): Promise<RunEntity | null> {
    return manager
      .getRepository(RunEntity)
      .createQueryBuilder('run')
      .where('run.tenantId = :tenantId AND run.type = :type', { tenantId, type: RunType.BackupScheduleRun })
      .andWhere(`run.target ->> 'scheduleId' = :scheduleId`, { scheduleId })
      .andWhere('run.status IN (:...active)', { active: [RunStatus.Queued, RunStatus.Running] })
      .getOne();
  }
}
