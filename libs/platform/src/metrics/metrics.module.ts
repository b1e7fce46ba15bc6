import { Module, type DynamicModule } from '@nestjs/common';
import { APP_INTERCEPTOR } from '@nestjs/core';
import type { CommonConfig } from '../config/common.config.js';
import { MetricsController } from './metrics.controller.js';
import { configureMetrics } from './metrics-registry.js';
import { RpcMetricsInterceptor } from './rpc-metrics.interceptor.js';

/**
 * Prometheus metrics for a service (PlatformModule imports it for every service): `/metrics`, the RPC
 * server interceptor, default process metrics and the `service` label. `METRICS_ENABLED=false` serves no
 * `/metrics` (404) and turns every recording call into a no-op.
 */
@Module({})
export class MetricsModule {
  static forService(service: string, config: CommonConfig): DynamicModule {
    const enabled = config.METRICS_ENABLED !== false;
    configureMetrics({ service, enabled });
    if (!enabled) return { module: MetricsModule };
    return {
      module: MetricsModule,
      controllers: [MetricsController],
      providers: [{ provide: APP_INTERCEPTOR, useClass: RpcMetricsInterceptor }],
    };
  }
}
