import { Injectable } from '@nestjs/common';
import { ScheduleRetentionRepository, type RemovedBackupSets } from '../store/schedule-retention.repository.js';
import { setsBeyondRetention } from './retention-policy.js';

export interface RetentionReport extends RemovedBackupSets {
  keepLast: number;
}

/**
 * "Keep the last N backup sets" of one schedule: the oldest sets that schedule made beyond N go, with
 * their items and the versions nothing else references. Sets made by hand (no schedule id) and other
 * schedules' sets are never looked at. Idempotent: a second pass finds nothing more to remove.
 */
@Injectable()
export class ScheduleRetentionService {
  constructor(private readonly retention: ScheduleRetentionRepository) {}

  async apply(tenantId: string, scheduleId: string, keepLast: number): Promise<RetentionReport> {
    const removed = await this.retention.removeScheduleSets(tenantId, scheduleId, (sets) => setsBeyondRetention(sets, keepLast));
    return { keepLast, ...removed };
  }
}
