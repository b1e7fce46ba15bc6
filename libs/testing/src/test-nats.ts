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

export interface TestNatsOptions {
  /** Other servers than the shared one (a private server's or cluster's NATS_URL), with their stream replicas. */
  url?: string;
  replicas?: number;
  /** On a server with authorization: a user allowed everything there, and the namespace its permissions name. */
  user?: { user: string; pass: string };
  namespace?: string;
}

/** A NATS namespace of its own (subjects and streams) for one test file, with its streams created. */
export async function createTestNats({ url = NATS_URL, replicas = 1, user, namespace = uniqueName() }: TestNatsOptions = {}): Promise<TestNats> {
  const names = jetStreamNames(namespace);
  const connection = await connect({ servers: natsServers(url), ...user });
  const jsm = await jetstreamManager(connection);
  await ensureStreams(jsm, names, { replicas });
  return {
    namespace,
    names,
    connection,
    js: jetstream(connection),
    jsm,
    async close() {
      // The imports bucket's stream (JetStream Object Store) too, when a test made one.
      for (const stream of [names.commandStream, names.workerEventStream, names.runStatusStream, names.tenantEventStream, `OBJ_${names.importBucket}`]) {
        await jsm.streams.delete(stream).catch(() => undefined);
      }
      await connection.close();
    },
  };
}
