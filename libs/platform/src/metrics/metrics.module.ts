import { Module, type DynamicModule } from '@nestjs/common';
import type { CommonConfig } from '../config/common.config.js';
import { MetricsController } from './metrics.controller.js';
import { configureMetrics } from './metrics-registry.js';

/**
 * Prometheus metrics for a service (PlatformModule imports it for every service): `/metrics`, default process
 * metrics and the `service` label. `METRICS_ENABLED=false` serves no `/metrics` (404) and turns every recording
 * call into a no-op. HTTP is measured by httpMetricsMiddleware (runService), RPC at the NATS transport.
 */
@Module({})
export class MetricsModule {
  static forService(service: string, config: CommonConfig): DynamicModule {
    const enabled = config.METRICS_ENABLED !== false;
    configureMetrics({ service, enabled });
    return enabled ? { module: MetricsModule, controllers: [MetricsController] } : { module: MetricsModule };
  }
}
