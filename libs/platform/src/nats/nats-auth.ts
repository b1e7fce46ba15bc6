import { natsInboxPrefix } from '@policyvault/contracts';
import type { CommonConfig } from '../config/common.config.js';

export interface NatsAuthOptions {
  user?: string;
  pass?: string;
  inboxPrefix?: string;
}

/**
 * What every NATS connection of a service adds to its options: the service's user and password, and
 * replies in that user's own inbox (the only one its permissions let it read). Nothing without NATS_USER.
 */
export function natsAuthOptions(config: Partial<Pick<CommonConfig, 'NATS_USER' | 'NATS_PASSWORD'>>): NatsAuthOptions {
  if (!config.NATS_USER) return {};
  return { user: config.NATS_USER, pass: config.NATS_PASSWORD, inboxPrefix: natsInboxPrefix(config.NATS_USER) };
}
