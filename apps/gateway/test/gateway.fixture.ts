// A gateway running in this process (Nest testing module + the same configureHttp as main.ts) on
// its own seeded database and NATS namespace, for supertest.
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { Test } from '@nestjs/testing';
import type { Server } from 'node:http';
import { loadConfig, PLATFORM_FASTIFY_OPTIONS, signDevelopmentToken, type DevelopmentTokenOptions } from '@policyvault/platform';
import { createTestDatabase, createTestNats, NATS_URL, type TestDatabase, type TestNats } from '@policyvault/testing';
import { AppModule } from '../src/app.module.js';
import { configureHttp, GATEWAY_FASTIFY_OPTIONS } from '../src/configure-http.js';
import { seedDemoDirectory } from '../src/database/seed.js';
import { GatewayConfig } from '../src/gateway.config.js';

export const TEST_SIGNING_KEY = 'gateway-integration-test-signing-key-0123456789';

export interface GatewayFixture {
  app: NestFastifyApplication;
  http: Server;
  config: GatewayConfig;
  database: TestDatabase;
  nats: TestNats;
  close(): Promise<void>;
}

export async function startGatewayInProcess(env: Record<string, string> = {}): Promise<GatewayFixture> {
  const database = await createTestDatabase();
  await seedDemoDirectory(database.url);
  const nats = await createTestNats();
  const config = loadConfig(GatewayConfig, {
    DATABASE_URL: database.url,
    DATABASE_POOL_SIZE: '4',
    NATS_URL,
    NATS_NAMESPACE: nats.namespace,
    AUTH_MODE: 'development',
    AUTH_DEV_SIGNING_KEY: TEST_SIGNING_KEY,
    PORT: '0',
    ...env,
  });
  const moduleRef = await Test.createTestingModule({ imports: [AppModule.register(config)] }).compile();
  // Fastify's own server (no boot gate): supertest, or the test, listens on it.
  const app = moduleRef.createNestApplication<NestFastifyApplication>(new FastifyAdapter({ ...PLATFORM_FASTIFY_OPTIONS, ...GATEWAY_FASTIFY_OPTIONS }), {
    logger: ['error'],
    bodyParser: false,
  });
  configureHttp(app, config);
  await app.init();
  // What app.listen would do: hooks, plugins and the not-found handler are set up before the first request.
  await app.getHttpAdapter().getInstance().ready();
  return {
    app,
    http: app.getHttpServer(),
    config,
    database,
    nats,
    async close() {
      await app.close();
      await nats.close();
      await database.drop();
    },
  };
}

export function tokenFor(email: string, options: Partial<DevelopmentTokenOptions> = {}): Promise<string> {
  return signDevelopmentToken({ email, signingKey: TEST_SIGNING_KEY, ...options });
}
