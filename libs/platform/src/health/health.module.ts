import { Controller, Get, Inject, Module, Optional, type DynamicModule } from '@nestjs/common';
import {
  HealthCheck,
  HealthCheckService,
  HealthIndicatorService,
  TerminusModule,
  type HealthIndicatorFunction,
  TypeOrmHealthIndicator,
} from '@nestjs/terminus';
import type { NatsConnection } from '@nats-io/transport-node';
import { NATS_CONNECTION } from '../nats/nats.module.js';

export const HEALTH_USES_DATABASE = Symbol('HEALTH_USES_DATABASE');

/** Liveness says the process answers; readiness says its dependencies (Postgres, NATS) answer too. */
@Controller('health')
export class HealthController {
  constructor(
    private readonly health: HealthCheckService,
    private readonly indicators: HealthIndicatorService,
    private readonly database: TypeOrmHealthIndicator,
    @Inject(NATS_CONNECTION) private readonly nats: NatsConnection,
    @Optional() @Inject(HEALTH_USES_DATABASE) private readonly usesDatabase?: boolean,
  ) {}

  @Get('live')
  live(): { status: 'ok' } {
    return { status: 'ok' };
  }

  @Get('ready')
  @HealthCheck()
  ready() {
    const checks: HealthIndicatorFunction[] = [
      () =>
        this.indicators
          .check('nats')
          .attempt(async () => {
            if (this.nats.isClosed()) throw new Error('connection closed');
            await this.nats.flush();
            return {};
          })
          .withTimeout(2000),
    ];
    if (this.usesDatabase) checks.push(() => this.database.pingCheck('database').withTimeout(2000));
    return this.health.check(checks);
  }
}

@Module({})
export class HealthModule {
  static register(options: { database: boolean }): DynamicModule {
    return {
      module: HealthModule,
      imports: [TerminusModule.forRoot({ logger: false })],
      controllers: [HealthController],
      providers: [{ provide: HEALTH_USES_DATABASE, useValue: options.database }],
    };
  }
}
