// The private-instance kit itself: a Postgres that survives an immediate stop, a JetStream server that
// keeps its store across `kill -9`, and a three-node cluster whose streams keep their messages when the
// stream leader dies.
import { connect } from '@nats-io/transport-node';
import { jetstream, jetstreamManager } from '@nats-io/jetstream';
import pg from 'pg';
import { startPrivateNats, startPrivatePostgres, waitFor } from '@policyvault/testing';

describe('private test instances', () => {
  it('a private Postgres keeps committed rows across an immediate stop', async () => {
    const postgres = await startPrivatePostgres('kit-postgres');
    try {
      const url = await postgres.createDatabase('kit');
      const write = new pg.Client({ connectionString: url });
      await write.connect();
      await write.query('CREATE TABLE t (v int); INSERT INTO t VALUES (42)');
      await write.end();
      await postgres.stopImmediate();
      await expect(new pg.Client({ connectionString: url }).connect()).rejects.toThrow();
      await postgres.start();
      const read = new pg.Client({ connectionString: url });
      await read.connect();
      expect((await read.query('SELECT v FROM t')).rows).toEqual([{ v: 42 }]);
      await read.end();
    } finally {
      await postgres.destroy();
    }
  });

  it('a private JetStream server keeps its stream across kill -9', async () => {
    const nats = await startPrivateNats(1);
    try {
      let connection = await connect({ servers: nats.url });
      await (await jetstreamManager(connection)).streams.add({ name: 'KIT', subjects: ['kit.>'] });
      await jetstream(connection).publish('kit.a', 'one');
      await connection.close();
      await nats.servers[0]!.kill();
      await nats.servers[0]!.start();
      connection = await connect({ servers: nats.url });
      const info = await waitFor(
        () => jetstreamManager(connection).then((manager) => manager.streams.info('KIT')),
        (stream) => stream.state.messages === 1,
        { what: 'the stream to be recovered' },
      );
      expect(info.state.messages).toBe(1);
      await connection.close();
    } finally {
      await nats.destroy();
    }
  });

  it('a three-node cluster keeps a replicated stream when its leader is killed', async () => {
    const nats = await startPrivateNats(3);
    try {
      const connection = await connect({ servers: nats.url });
      const manager = await jetstreamManager(connection);
      await manager.streams.add({ name: 'KIT3', subjects: ['kit3.>'], num_replicas: 3 });
      const js = jetstream(connection);
      for (let index = 0; index < 10; index += 1) await js.publish('kit3.a', String(index));
      const leader = await nats.streamLeader('KIT3');
      expect(leader).toBeDefined();
      await leader!.kill();
      await waitFor(
        () => js.publish('kit3.a', 'after'),
        (ack) => ack.seq === 11,
        { timeoutMs: 30_000, intervalMs: 250, what: 'a new stream leader to accept a publish' },
      );
      expect((await manager.streams.info('KIT3')).state.messages).toBe(11);
      expect((await nats.streamLeader('KIT3'))?.name).not.toBe(leader!.name);
      await connection.close();
    } finally {
      await nats.destroy();
    }
  }, 120_000);
});
