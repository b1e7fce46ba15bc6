import { CreateNotificationTables1733000000000 } from './migrations/1733000000000-create-notification-tables.js';
import { NotifySeveralRecipients1768200000000 } from './migrations/1768200000000-notify-several-recipients.migration.js';
import { CreateNotificationChannels1770000000000 } from './migrations/1770000000000-create-notification-channels.migration.js';
import { NotificationKind1771000000000 } from './migrations/1771000000000-notification-kind.migration.js';
import { NOTIFIER_ENTITIES } from './notifier.entities.js';
import { KeyRejectedMessagesByStreamMessage1769500000000 } from './migrations/1769500000000-key-rejected-messages-by-stream-message.migration.js';

/** Everything the notifier owns in Postgres, in its own schema. */
export const NOTIFIER_DATABASE = {
  schema: 'notifier',
  entities: NOTIFIER_ENTITIES,
  migrations: [CreateNotificationTables1733000000000, NotifySeveralRecipients1768200000000, KeyRejectedMessagesByStreamMessage1769500000000, CreateNotificationChannels1770000000000, NotificationKind1771000000000],
};
