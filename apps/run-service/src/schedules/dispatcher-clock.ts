import { Injectable } from '@nestjs/common';
import { RunServiceConfig } from '../run-service.config.js';

/**
 * The dispatcher's idea of "now". `SCHEDULER_CLOCK=system` (the default) is the wall clock and the
 * dispatcher ticks by itself; `manual` stops the ticking and lets BackupScheduleRpc.dispatch say
 * what time it is (tests, operations drills), so daylight-saving days and outages can be replayed.
 */
@Injectable()
export class DispatcherClock {
  private manualNow?: Date;

  constructor(private readonly config: RunServiceConfig) {}

  get manual(): boolean {
    return this.config.SCHEDULER_CLOCK === 'manual';
  }

  now(): Date {
    return this.manual && this.manualNow ? this.manualNow : new Date();
  }

  set(now: Date): void {
    if (!this.manual) throw new Error('the scheduler clock is not manual');
    this.manualNow = now;
  }
}
