import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource, EntityManager } from 'typeorm';
import { RunEntity } from '../runs/run.entity.js';
import { IdempotencyAnchorEntity } from './idempotency-anchor.entity.js';

/** A start's earlier outcome under its Idempotency-Key anchor. */
export interface AnchoredRun {
  run: RunEntity;
  reused: boolean;
}

/**
 * The Idempotency-Key anchors the gateway passes down (the id of its claim on a key): what the first
 * request with an anchor did is what every later one with it answers. A new run records its anchor in
 * its insert statement (run-service.sql.ts); a start that reused an active run records it here.
 */
@Injectable()
export class IdempotencyAnchors {
  constructor(@InjectDataSource() private readonly database: DataSource) {}

  async findRun(tenantId: string, anchor: string): Promise<AnchoredRun | null> {
    const found = await this.database.manager.findOneBy(IdempotencyAnchorEntity, { tenantId, anchor });
    if (!found?.runId) return null;
    const run = await this.database.manager.findOneBy(RunEntity, { id: found.runId, tenantId });
    return run ? { run, reused: found.reused } : null;
  }

  /** The reused run under the anchor (or, when another request with it won meanwhile, that one's run). */
  async recordReuse(tenantId: string, anchor: string, run: RunEntity): Promise<AnchoredRun> {
    await this.database.manager
      .createQueryBuilder()
      .insert()
      .into(IdempotencyAnchorEntity)
      .values({ tenantId, anchor, runId: run.id, reused: true })
      .orIgnore()
      .execute();
    return (await this.findRun(tenantId, anchor)) ?? { run, reused: true };
  }

  async findScheduleId(manager: EntityManager, tenantId: string, anchor: string): Promise<string | null> {
    const found = await manager.findOneBy(IdempotencyAnchorEntity, { tenantId, anchor });
    return found?.scheduleId ?? null;
  }

  /** In the transaction that creates the schedule. */
  async recordSchedule(manager: EntityManager, tenantId: string, anchor: string, scheduleId: string): Promise<void> {
    await manager.insert(IdempotencyAnchorEntity, { tenantId, anchor, scheduleId });
  }
}
