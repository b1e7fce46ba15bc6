import { Module, type DynamicModule } from '@nestjs/common';
import { DatabaseModule, HealthModule, NatsModule, PlatformModule, TenantPurgeModule } from '@policyvault/platform';
import { NOTIFIER_DATABASE } from './database/notifier.schema.js';
import { NotificationEntity } from './notifications/notification.entity.js';
import { NotificationsModule } from './notifications/notifications.module.js';
import { NotifierConfig } from './notifier.config.js';

@Module({})
export class AppModule {
  static register(config: NotifierConfig): DynamicModule {
    return {
      module: AppModule,
      imports: [
        PlatformModule.forService('notifier', NotifierConfig, config),
        NatsModule,
        DatabaseModule.forService(NOTIFIER_DATABASE),
        HealthModule.register({ database: true }),
        NotificationsModule,
        // A removed tenant's notifications (every user's), after its retention.
        TenantPurgeModule.register({ service: 'notifier', config: NotifierConfig, entities: [NotificationEntity] }),
      ],
    };
  }
}
