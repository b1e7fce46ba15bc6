// A replica answers as soon as listen() resolved (the server has its subscriptions by then). A replica that closes withdraws its RPC subscriptions, and waits until the server has processed that, before its
// connection goes: a request sent after close() resolved is never routed to it (it would time out), but goes to
// another replica or gets "no responders" at once.
import { Controller, Module, type INestMicroservice } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { MessagePattern } from '@nestjs/microservices';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import { NamespacedNatsServer } from '../src/nats/namespaced-nats.transport.js';
import { NATS_URL, uniqueName } from '@policyvault/testing';

const PATTERN = 'v1.test.echo';

function echoModule(replica: string) {
  @Controller()
  class EchoController {
    @MessagePattern(PATTERN)
    echo(payload: { text: string }) {
      return { replica, text: payload.text };
    }
  }
  @Module({ controllers: [EchoController] })
  class EchoModule {}
  return EchoModule;
}

async function startReplica(namespace: string, replica: string): Promise<{ app: INestMicroservice; server: NamespacedNatsServer }> {
  const server = new NamespacedNatsServer(namespace, { servers: NATS_URL, queue: 'echo' });
  const app = await NestFactory.createMicroservice(echoModule(replica), { strategy: server, logger: false });
  await app.listen();
  return { app, server };
}

/** Everything the replica's connection writes to the server from now on, as protocol text. */
function recordWrites(server: NamespacedNatsServer): () => string {
  const connection = (server as unknown as { natsClient: NatsConnection }).natsClient;
  const socket = (connection as unknown as { protocol: { transport: { socket: Record<'_write' | '_writev', (...parameters: unknown[]) => unknown> } } })
    .protocol.transport.socket;
  const chunks: string[] = [];
  const original = { write: socket._write.bind(socket), writev: socket._writev.bind(socket) };
  socket._write = (chunk: unknown, ...rest: unknown[]) => {
    chunks.push(Buffer.from(chunk as Uint8Array).toString('latin1'));
    return original.write(chunk, ...rest);
  };
  socket._writev = (entries: unknown, ...rest: unknown[]) => {
    for (const { chunk } of entries as { chunk: Uint8Array }[]) chunks.push(Buffer.from(chunk).toString('latin1'));
    return original.writev(entries, ...rest);
  };
  return () => chunks.join('');
}

describe('NamespacedNatsServer close (real NATS)', () => {
  let client: NatsConnection;

  beforeAll(async () => {
    client = await connect({ servers: NATS_URL });
  });

  afterAll(async () => {
    await client?.close();
  });

  const request = async (namespace: string, text: string) => {
    const reply = await client.request(`${namespace}.${PATTERN}`, JSON.stringify({ id: text, pattern: PATTERN, data: { text } }), { timeout: 2_000 });
    return (reply.json() as { response: { replica: string; text: string } }).response;
  };

  it('answers a request sent as soon as listen() resolved', async () => {
    for (let attempt = 0; attempt < 10; attempt += 1) {
      const namespace = uniqueName();
      const { app } = await startReplica(namespace, 'a');
      try {
        expect(await request(namespace, `first ${attempt}`)).toEqual({ replica: 'a', text: `first ${attempt}` });
      } finally {
        await app.close();
      }
    }
  });

  it('unsubscribes and flushes before the connection closes', async () => {
    const namespace = uniqueName();
    const { app, server } = await startReplica(namespace, 'a');
    const written = recordWrites(server);
    await app.close();

    const protocol = written();
    const unsubscribe = protocol.search(/UNSUB \d+\r\n/);
    expect(unsubscribe).toBeGreaterThanOrEqual(0);
    expect(protocol.indexOf('PING\r\n', unsubscribe)).toBeGreaterThan(unsubscribe);
  });

  it('after one replica closed, every request is answered by the other, none times out', async () => {
    const namespace = uniqueName();
    const first = await startReplica(namespace, 'a');
    const second = await startReplica(namespace, 'b');
    try {
      await first.app.close();
      const replies = await Promise.all(Array.from({ length: 50 }, (_, index) => request(namespace, String(index))));
      expect(new Set(replies.map((reply) => reply.replica))).toEqual(new Set(['b']));
      expect(replies.map((reply) => reply.text)).toEqual(Array.from({ length: 50 }, (_, index) => String(index)));
    } finally {
      await second.app.close();
    }
  });

  it('with no replica left, a request gets "no responders" at once', async () => {
    const namespace = uniqueName();
    const only = await startReplica(namespace, 'a');
    expect((await request(namespace, 'before')).replica).toBe('a');
    await only.app.close();
    await expect(request(namespace, 'after')).rejects.toThrow(/no responders/);
  });
});
