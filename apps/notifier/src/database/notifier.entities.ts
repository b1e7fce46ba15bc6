import { RejectedMessageEntity } from '@policyvault/platform';
import { CHANNEL_ENTITIES } from '../channels/channel.entities.js';
import { NotificationEntity } from '../notifications/notification.entity.js';

/** Every table of the `notifier` schema, described exactly as the migrations make it. */
export const NOTIFIER_ENTITIES = [NotificationEntity, ...CHANNEL_ENTITIES, RejectedMessageEntity];
