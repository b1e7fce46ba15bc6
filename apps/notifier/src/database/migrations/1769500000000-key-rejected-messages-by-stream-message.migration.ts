import { KeyRejectedMessagesByStreamMessage } from '@policyvault/platform';

/** `rejected_messages` version 2 (payload as bytes, one row per stream message), the platform's DDL. */
export class KeyRejectedMessagesByStreamMessage1769500000000 extends KeyRejectedMessagesByStreamMessage {
  name = 'KeyRejectedMessagesByStreamMessage1769500000000';
  protected readonly schema = 'notifier';
}
