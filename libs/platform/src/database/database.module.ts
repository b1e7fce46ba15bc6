import { Module, type DynamicModule } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { DataSource, type MixedList, type EntitySchema } from 'typeorm';
import type { Logger } from 'pino';
import type { PostgresDataSourceOptions } from 'typeorm/driver/postgres/PostgresDataSourceOptions.js';
import { DatabaseConfig } from '../config/common.config.js';
import { LOGGER } from '../platform.module.js';
import { SERVICE_NAME } from '../service-name.js';
import { waitForDependency } from '../startup/wait-for-dependency.js';

export interface ServiceDatabaseOptions {
  /** The Postgres schema this service owns; its tables and migration history live there. */
  schema: string;
  entities: MixedList<Function | string | EntitySchema>;
  migrations: MixedList<Function | string>;
}

export function serviceDataSourceOptions(
  url: string,
  options: ServiceDatabaseOptions,
  extra: { poolSize?: number; applicationName?: string } = {},
): PostgresDataSourceOptions {
  return {
    type: 'postgres',
    url,
    schema: options.schema,
    entities: options.entities,
    migrations: options.migrations,
    migrationsTableName: 'migrations',
    // Explicit migrations only; never synchronize.
    synchronize: false,
    migrationsRun: false,
    // Generated uuid columns are gen_random_uuid() (built into Postgres 13+); the migrations create
    // everything, so TypeORM installs no extension at connect.
    uuidExtension: 'pgcrypto',
    installExtensions: false,
    poolSize: extra.poolSize,
    applicationName: extra.applicationName,
    extra: { max: extra.poolSize },
  };
}

/** Connects, retrying with backoff while Postgres does not answer (a service started before it waits). */
export function initializeDataSource(dataSource: DataSource, logger: Logger): Promise<DataSource> {
  return waitForDependency(
    'database',
    async () => {
      try {
        return await dataSource.initialize();
      } catch (error) {
        // A failed connect may leave its pool behind; the next attempt makes a new one.
        await dataSource.driver.disconnect().catch(() => undefined);
        throw error;
      }
    },
    logger,
  );
}

@Module({})
export class DatabaseModule {
  static forService(options: ServiceDatabaseOptions): DynamicModule {
    let logger: Logger | undefined;
    return {
      module: DatabaseModule,
      imports: [
        TypeOrmModule.forRootAsync({
          inject: [DatabaseConfig, SERVICE_NAME, LOGGER],
          useFactory: (config: DatabaseConfig, service: string, serviceLogger: Logger) => {
            logger = serviceLogger;
            return {
              ...serviceDataSourceOptions(config.DATABASE_URL, options, {
                poolSize: config.DATABASE_POOL_SIZE,
                applicationName: service,
              }),
              // Retried in initializeDataSource (capped backoff, one warning per attempt), not by TypeOrmModule.
              toRetry: () => false,
            };
          },
          // Nest calls this right after useFactory, which set the logger.
          dataSourceFactory: (dataSourceOptions) => initializeDataSource(new DataSource(dataSourceOptions!), logger!),
        }),
      ],
    };
  }
}
