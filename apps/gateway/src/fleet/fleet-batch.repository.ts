import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource, QueryDeepPartialEntity } from 'typeorm';
import { FleetBatchRunEntity } from './fleet-batch-run.entity.js';
import { FleetBatchEntity } from './fleet-batch.entity.js';

const INSERT_CHUNK = 1_000;

export type NewFleetBatch = Omit<FleetBatchEntity, 'createdAt'>;
export type NewFleetBatchRun = Omit<FleetBatchRunEntity, 'batchId'>;

/** Fleet batches and what each did per tenant. */
@Injectable()
export class FleetBatchRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /** The batch and its runs, in one transaction. */
  create(batch: NewFleetBatch, runs: NewFleetBatchRun[]): Promise<FleetBatchEntity> {
    return this.dataSource.transaction(async (manager) => {
      // jsonb columns hold `unknown` values, which TypeORM's deep-partial type rejects.
      await manager.insert(FleetBatchEntity, batch as QueryDeepPartialEntity<FleetBatchEntity>);
      for (let start = 0; start < runs.length; start += INSERT_CHUNK) {
        await manager.insert(
          FleetBatchRunEntity,
          runs.slice(start, start + INSERT_CHUNK).map((run) => ({ ...run, batchId: batch.id })),
        );
      }
      return manager.findOneByOrFail(FleetBatchEntity, { id: batch.id });
    });
  }

  async find(batchId: string): Promise<{ batch: FleetBatchEntity; runs: FleetBatchRunEntity[] } | null> {
    const batch = await this.dataSource.manager.findOneBy(FleetBatchEntity, { id: batchId });
    if (!batch) return null;
    const runs = await this.dataSource.manager.find(FleetBatchRunEntity, { where: { batchId }, order: { tenantId: 'ASC' } });
    return { batch, runs };
  }
}
