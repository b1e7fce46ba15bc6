import { nanos } from '@nats-io/transport-node';
import {
  DiscardPolicy,
  JetStreamApiError,
  RetentionPolicy,
  StorageType,
  type JetStreamManager,
  type StreamConfig,
} from '@nats-io/jetstream';
import type { JetStreamNames } from '@policyvault/contracts';

const DAY_MS = 24 * 60 * 60 * 1000;

export interface StreamOptions {
  /** Copies of each stream in a JetStream cluster (NATS_STREAM_REPLICAS); consumers inherit it. */
  replicas?: number;
}

/** Stream definitions; every service ensures they exist at boot (idempotent, safe to race). */
export function streamConfigs(names: JetStreamNames, { replicas = 1 }: StreamOptions = {}): (Partial<StreamConfig> & { name: string })[] {
  return [
    {
      name: names.commandStream,
      subjects: [names.commandSubjects],
      retention: RetentionPolicy.Workqueue,
      storage: StorageType.File,
      // Nats-Msg-Id de-duplication window for relay retries; the durable anchor is the outbox row.
      duplicate_window: nanos(2 * 60 * 1000),
      discard: DiscardPolicy.Old,
      num_replicas: replicas,
    },
    {
      name: names.workerEventStream,
      subjects: [names.workerEventSubjects],
      retention: RetentionPolicy.Workqueue,
      storage: StorageType.File,
      duplicate_window: nanos(2 * 60 * 1000),
      discard: DiscardPolicy.Old,
      num_replicas: replicas,
    },
    {
      name: names.runStatusStream,
      // Run transitions and progress, and schedule alerts (their own subject: live views never see them).
      subjects: [names.runEventSubjects, names.scheduleAlertSubjects],
      retention: RetentionPolicy.Limits,
      storage: StorageType.File,
      max_age: nanos(7 * DAY_MS),
      duplicate_window: nanos(2 * 60 * 1000),
      discard: DiscardPolicy.Old,
      num_replicas: replicas,
    },
    {
      // Several services read each event (one durable each); kept long enough for a service that was
      // down to catch up. The durable anchor is run-service's `removed_tenants.purged_at` + outbox row.
      name: names.tenantEventStream,
      subjects: [names.tenantEventSubjects],
      retention: RetentionPolicy.Limits,
      storage: StorageType.File,
      max_age: nanos(30 * DAY_MS),
      duplicate_window: nanos(2 * 60 * 1000),
      discard: DiscardPolicy.Old,
      num_replicas: replicas,
    },
  ];
}

export async function ensureStreams(manager: JetStreamManager, names: JetStreamNames, options: StreamOptions = {}): Promise<void> {
  for (const config of streamConfigs(names, options)) {
    try {
      await manager.streams.info(config.name);
      await manager.streams.update(config.name, config);
    } catch (error) {
      if (!isStreamNotFound(error)) throw error;
      try {
        await manager.streams.add(config);
      } catch (addError) {
        // Another replica created it between our info() and add(): fine.
        if (!String((addError as Error).message).includes('already in use')) throw addError;
      }
    }
  }
}

function isStreamNotFound(error: unknown): boolean {
  return error instanceof JetStreamApiError ? error.code === 10059 : /stream not found/i.test(String(error));
}
