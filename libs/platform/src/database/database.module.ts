import { Module, type DynamicModule } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import type { MixedList, EntitySchema } from 'typeorm';
import type { PostgresDataSourceOptions } from 'typeorm/driver/postgres/PostgresDataSourceOptions.js';
import { DatabaseConfig } from '../config/common.config.js';
import { SERVICE_NAME } from '../service-name.js';

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

@Module({})
export class DatabaseModule {
  static forService(options: ServiceDatabaseOptions): DynamicModule {
    return {
      module: DatabaseModule,
      imports: [
        TypeOrmModule.forRootAsync({
          inject: [DatabaseConfig, SERVICE_NAME],
          useFactory: (config: DatabaseConfig, service: string) =>
            serviceDataSourceOptions(config.DATABASE_URL, options, {
              poolSize: config.DATABASE_POOL_SIZE,
              applicationName: service,
            }),
        }),
      ],
    };
  }
}
