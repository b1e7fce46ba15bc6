import { LAG_BUCKETS, counter, histogram } from '@policyvault/platform';

export const notificationsWritten = counter({
  name: 'policyvault_notifications_written_total',
  help: 'Notifications written (one per run transition and recipient; a redelivered event writes none), by run status.',
  labelNames: ['status'],
});

/** From the run transition (the status event's occurredAt, set in run-service's transaction) to its notification committed. */
export const notificationLag = histogram({
  name: 'policyvault_notification_lag_seconds',
  help: 'From a run transition to its notification written, in seconds.',
  buckets: LAG_BUCKETS,
});
