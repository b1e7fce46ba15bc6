import type { DynamicModule } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { CommonConfig } from './config/common.config.js';
import { ConfigError, loadConfig } from './config/load-config.js';
import { createLogger, PinoNestLogger } from './logging/logger.js';
import { natsConnectionOptions } from './nats/nats-connection.js';
import { httpMetricsMiddleware } from './metrics/http-metrics.middleware.js';
import { NamespacedNatsServer } from './nats/namespaced-nats.transport.js';
import { BootGateAdapter, type BootGateOptions } from './startup/boot-gate.js';
import { httpTracingMiddleware, startTracing, tracingActive } from './tracing/index.js';

export interface ServiceDefinition<C extends CommonConfig> {
  name: string;
  config: new () => C;
  module: (config: C) => DynamicModule;
  /** Serve this service's @MessagePattern handlers over core NATS in this queue group. */
  rpcQueueGroup?: string;
  configureHttp?: (app: NestFastifyApplication, config: C) => void | Promise<void>;
  /** Fastify settings of this service's own, over PLATFORM_FASTIFY_OPTIONS (the gateway's answer to a malformed URL). */
  fastify?: BootGateOptions;
}

/**
 * The whole of every main.ts: validate configuration (a bad variable stops the service with its
 * name), listen on HTTP at once (live, not ready: BootGateAdapter) while the Nest app waits for NATS and
 * Postgres (waitForDependency, retried with backoff), then serve HTTP (health, and the API for the
 * gateway) and, when asked, NATS request/reply; shut down gracefully on SIGTERM/SIGINT.
 */
export async function runService<C extends CommonConfig>(definition: ServiceDefinition<C>): Promise<NestFastifyApplication> {
  let config: C;
  try {
    config = loadConfig(definition.config);
    // Before the app exists, so its first request is traced (OTEL_* variables; off when none is set).
    startTracing(definition.name, createLogger(definition.name, config.LOG_LEVEL));
  } catch (error) {
    if (error instanceof ConfigError) {
      console.error(`${definition.name}: ${error.message}`);
      process.exit(78); // EX_CONFIG
    }
    throw error;
  }
  const logger = createLogger(definition.name, config.LOG_LEVEL);
  const host = process.env.HOST ?? '127.0.0.1';
  try {
    const gate = new BootGateAdapter(definition.name, definition.fastify);
    await gate.bind(config.PORT, host);
    // With PORT=0 the system chooses a port no other socket holds. A parent that started this process with an
    // IPC channel (the test harness) is told which; the channel must not keep the process alive.
    const port = gate.boundPort();
    logger.info({ port }, `${definition.name} listening`);
    process.send?.({ listening: port });
    process.channel?.unref();
    const app = await NestFactory.create<NestFastifyApplication>(definition.module(config), gate, {
      logger: new PinoNestLogger(logger),
      abortOnError: false,
      // Nest's JSON and form parsers would clash with configureHttp's (the gateway's); no other service takes a body.
      bodyParser: false,
    });
    if (tracingActive()) gate.useRaw(httpTracingMiddleware); // outermost: routing, parsing, guards and handlers run in its span
    app.enableShutdownHooks();
    if (config.METRICS_ENABLED) gate.useRaw(httpMetricsMiddleware); // before Fastify, so every answer is counted
    await definition.configureHttp?.(app, config);
    if (definition.rpcQueueGroup) {
      app.connectMicroservice(
        {
          strategy: new NamespacedNatsServer(config.NATS_NAMESPACE, {
            ...natsConnectionOptions(config, `${definition.name}-rpc`),
            queue: definition.rpcQueueGroup,
            gracefulShutdown: true,
            gracePeriod: 2000,
          }),
        },
        { inheritAppConfig: true },
      );
      await app.startAllMicroservices();
    }
    await app.listen(port, host);
    gate.open();
    logger.info({ port, namespace: config.NATS_NAMESPACE }, `${definition.name} ready`);
    return app;
  } catch (error) {
    logger.fatal({ err: { name: (error as Error).name, message: (error as Error).message } }, 'failed to start');
    process.exit(1);
  }
}
