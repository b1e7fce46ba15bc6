import { CreateNotificationTables1733000000000 } from './migrations/1733000000000-create-notification-tables.js';
import { NotificationEntity } from '../notifications/notification.entity.js';
import { RejectedMessageEntity } from '@policyvault/platform';

/** Everything the notifier owns in Postgres, in its own schema. */
export const NOTIFIER_DATABASE = {
  schema: 'notifier',
  entities: [NotificationEntity, RejectedMessageEntity],
  migrations: [CreateNotificationTables1733000000000],
};
