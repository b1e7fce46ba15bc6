import { RejectedMessageEntity } from '@policyvault/platform';
import { NotificationEntity } from '../notifications/notification.entity.js';

/** Every table of the `notifier` schema, described exactly as the migrations make it. */
export const NOTIFIER_ENTITIES = [NotificationEntity, RejectedMessageEntity];
