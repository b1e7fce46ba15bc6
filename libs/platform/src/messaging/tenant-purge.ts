import { Inject, Injectable, Module, type DynamicModule, type Type } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource, EntityTarget } from 'typeorm';
import type { Logger } from 'pino';
import { TENANT_PURGE_OF_EVERY_TENANT, TenantPurgeEvent, type JetStreamNames } from '@policyvault/contracts';
import { Outcome, type HandlerOutcome } from '../jetstream/handler-outcome.js';
import { JETSTREAM_NAMES } from '../nats/nats.module.js';
import { LOGGER } from '../platform.module.js';
import { EventConsumerModule } from './event-consumer.module.js';
import { EventHandler, type EventContext, type JetStreamEventHandler } from './event-handler.decorator.js';

/** A table of the service with a `tenantId` column (its entity). */
export type TenantOwnedEntity = EntityTarget<{ tenantId: string }>;

/** What a service purges of a removed tenant. */
export interface TenantPurgeOptions<C> {
  /** Names the durable consumer `<service>-tenant-purge` (the service's replicas share it). */
  service: string;
  config: Type<C>;
  /** Every table of the service holding tenant rows, in deletion order (children before their parents). */
  entities: readonly TenantOwnedEntity[];
}

const TENANT_PURGE_ENTITIES = Symbol('TENANT_PURGE_ENTITIES');

/**
 * A purge may take long (whole tenants), so a delivery whose process died is handed to another replica only after
 * this long: also a poison message's, until it is recorded.
 */
export const TENANT_PURGE_ACK_WAIT_MS = 120_000;

/**
 * The one handler of purge events (`evt.tenant.purge.v1.<tenant>`, published by run-service once a
 * removed tenant's retention has passed): the subject must name the event's tenant (else the event is
 * rejected and recorded), then every listed table's rows of the tenant are deleted in one transaction.
 * Deleting by tenant id makes a redelivery delete nothing more.
 */
@Injectable()
@EventHandler(TENANT_PURGE_OF_EVERY_TENANT, TenantPurgeEvent)
export class TenantPurgeHandler implements JetStreamEventHandler<TenantPurgeEvent> {
  constructor(
    @InjectDataSource() private readonly database: DataSource,
    @Inject(JETSTREAM_NAMES) private readonly names: JetStreamNames,
    @Inject(LOGGER) private readonly logger: Logger,
    @Inject(TENANT_PURGE_ENTITIES) private readonly entities: readonly TenantOwnedEntity[],
  ) {}

  async handle(event: TenantPurgeEvent, { subject }: EventContext): Promise<HandlerOutcome> {
    if (subject !== this.names.tenantPurgeSubject(event.tenantId)) return Outcome.reject(`purge of tenant ${event.tenantId} on subject ${subject}`);
    const deleted = await this.database.transaction(async (manager) => {
      const counts: Record<string, number> = {};
      for (const entity of this.entities) {
        counts[manager.getRepository(entity).metadata.tableName] = (await manager.delete(entity, { tenantId: event.tenantId })).affected ?? 0;
      }
      return counts;
    });
    this.logger.info({ tenantId: event.tenantId, disabledAt: event.disabledAt, deleted }, 'removed tenant purged after its retention');
    return Outcome.done();
  }
}

/** Every service holding tenant data imports this once, listing its tenant tables. */
@Module({})
export class TenantPurgeModule {
  static register<C>({ service, config, entities }: TenantPurgeOptions<C>): DynamicModule {
    return {
      module: TenantPurgeModule,
      imports: [
        EventConsumerModule.register({
          durable: `${service}-tenant-purge`,
          stream: (names) => names.tenantEventStream,
          filterSubject: (names) => names.tenantPurgeSubjects,
          subjects: [TENANT_PURGE_OF_EVERY_TENANT],
          maxDeliver: 20,
          ackWaitMs: TENANT_PURGE_ACK_WAIT_MS,
          config,
          // Rare and heavy (whole tenants): one at a time.
          concurrency: () => 1,
        }),
      ],
      providers: [{ provide: TENANT_PURGE_ENTITIES, useValue: entities }, TenantPurgeHandler],
    };
  }
}
