import { Global, Module, type DynamicModule } from '@nestjs/common';
import { CommonConfig, DatabaseConfig } from './config/common.config.js';
import { SERVICE_NAME } from './service-name.js';
import { createLogger } from './logging/logger.js';
import { TracingModule } from './tracing/tracing.module.js';
import { MetricsModule } from './metrics/metrics.module.js';

/** Injection token for the service's pino logger (structured JSON, secrets redacted). */
export const LOGGER = Symbol('LOGGER');

/**
 * Makes the service's validated configuration injectable under its own class, under CommonConfig,
 * and (when it has one) under DatabaseConfig, plus the service name.
 */
@Global()
@Module({})
export class PlatformModule {
  static forService<C extends CommonConfig>(name: string, configClass: new () => C, config: C): DynamicModule {
    const providers = [
      { provide: SERVICE_NAME, useValue: name },
      { provide: LOGGER, useValue: createLogger(name, config.LOG_LEVEL) },
      { provide: configClass, useValue: config },
      { provide: CommonConfig, useValue: config },
      ...(config instanceof DatabaseConfig ? [{ provide: DatabaseConfig, useValue: config }] : []),
    ];
    return {
      module: PlatformModule,
      imports: [MetricsModule.forService(name, config), TracingModule],
      providers,
      exports: providers.map((provider) => provider.provide),
    };
  }
}
