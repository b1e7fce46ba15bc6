import { connect, type NatsConnection } from '@nats-io/transport-node';
import { jetstream, jetstreamManager, type JetStreamClient, type JetStreamManager } from '@nats-io/jetstream';
import { jetStreamNames, type JetStreamNames } from '@policyvault/contracts';
import { ensureStreams, natsServers } from '@policyvault/platform';
import { NATS_URL, uniqueName } from './test-run.js';

export interface TestNats {
  namespace: string;
  names: JetStreamNames;
  connection: NatsConnection;
  js: JetStreamClient;
  jsm: JetStreamManager;
  close(): Promise<void>;
}

/**
 * A NATS namespace of its own (subjects and streams) for one test file, with its streams created; on
 * the shared server, or on other servers (a private cluster's, with its stream replicas).
 */
export async function createTestNats({ url = NATS_URL, replicas = 1 }: { url?: string; replicas?: number } = {}): Promise<TestNats> {
  const namespace = uniqueName();
  const names = jetStreamNames(namespace);
  const connection = await connect({ servers: natsServers(url) });
  const jsm = await jetstreamManager(connection);
  await ensureStreams(jsm, names, { replicas });
  return {
    namespace,
    names,
    connection,
    js: jetstream(connection),
    jsm,
    async close() {
      for (const stream of [names.commandStream, names.workerEventStream, names.runStatusStream, names.tenantEventStream]) {
        await jsm.streams.delete(stream).catch(() => undefined);
      }
      await connection.close();
    },
  };
}
