import { Module, type DynamicModule } from '@nestjs/common';
import { DatabaseModule, HealthModule, NatsModule, PlatformModule, TenantPurgeModule } from '@policyvault/platform';
import { NotificationDeliveryEntity, NotificationDigestEntity, NotificationEndpointEntity, NotificationSubscriptionEntity } from './channels/channel.entities.js';
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
        // A removed tenant's notifications (every user's) and channels, after its retention (children first).
        TenantPurgeModule.register({ service: 'notifier', config: NotifierConfig, entities: [NotificationEntity, NotificationDigestEntity, NotificationDeliveryEntity, NotificationSubscriptionEntity, NotificationEndpointEntity] }),
      ],
    };
  }
}
