import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource, QueryDeepPartialEntity } from 'typeorm';
import { SELECTION_PARTS_OF_RUN } from '../database/capture.sql.js';
import { BackupSetSelectionEntity, type RecordedSelectionProblem } from './backup-set-selection.entity.js';

/** One recorded part of a run's selection: its policies, or why it has none. */
export interface RecordedSelectionPart {
  policyIds: string[];
  problem: RecordedSelectionProblem | null;
}

/** The selections of backup runs (BackupSetSelectionEntity), for the jobs. Every method takes the tenant first. */
@Injectable()
export class BackupSetSelectionsRepository {
  constructor(@InjectDataSource() private readonly database: DataSource) {}

  private get selections() {
    return this.database.getRepository(BackupSetSelectionEntity);
  }

  /** The parts earlier deliveries of the run recorded, by part. */
  async parts(tenantId: string, runId: string): Promise<Map<string, RecordedSelectionPart>> {
    const rows = await SELECTION_PARTS_OF_RUN.rows(this.database, [tenantId, runId]);
    return new Map(rows.map(({ part, policyIds, problem }) => [part, { policyIds, problem }]));
  }

  /**
   * Records a part once. `recorded` is what the run holds from now on: this part, or the one another
   * delivery of the run recorded first (then `won` is false and the caller uses that one).
   */
  async record(
    tenantId: string,
    runId: string,
    backupSetId: string,
    part: string,
    selection: RecordedSelectionPart,
  ): Promise<{ won: boolean; recorded: RecordedSelectionPart }> {
    const inserted = await this.selections
      .createQueryBuilder()
      .insert()
      // The JSON column is typed as the problem's shape, which TypeORM's deep-partial type cannot express.
      .values({ runId, part, tenantId, backupSetId, policyIds: selection.policyIds, problem: selection.problem } as QueryDeepPartialEntity<BackupSetSelectionEntity>)
      .orIgnore()
      .returning(['part'])
      .updateEntity(false)
      .execute();
    if (inserted.raw.length > 0) return { won: true, recorded: selection };
    return { won: false, recorded: await this.recorded(tenantId, runId, part) };
  }

  /** A part a delivery of the run recorded (it must exist: a record of it was refused as a duplicate). */
  async recorded(tenantId: string, runId: string, part: string): Promise<RecordedSelectionPart> {
    const row = await this.selections.findOne({ select: { policyIds: true, problem: true }, where: { tenantId, runId, part } });
    if (!row) throw new Error('the selection part was neither recorded nor found');
    return { policyIds: row.policyIds, problem: row.problem };
  }
}
