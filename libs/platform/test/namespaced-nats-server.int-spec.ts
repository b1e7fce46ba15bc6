// The RPC server every service runs. A request that is not one of ours (not JSON, not a `{ id, pattern, data }` packet)
// is answered `validation_failed` at once; one of ours reaches the handler of its dotted subject, payload intact.
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

/** The caller of every test: a plain nats.js connection, as another service would be. */
let client: NatsConnection;

beforeAll(async () => {
  client = await connect({ servers: NATS_URL });
});

afterAll(async () => {
  await client?.close();
});

describe('NamespacedNatsServer requests (real NATS)', () => {
  let namespace: string;
  let app: INestMicroservice;

  beforeAll(async () => {
    namespace = uniqueName();
    ({ app } = await startReplica(namespace, 'a'));
  });

  afterAll(async () => {
    await app?.close();
  });

  const send = async (data: string) => (await client.request(`${namespace}.${PATTERN}`, data, { timeout: 2_000 })).json() as Record<string, unknown>;

  it.each([
    ['not JSON', '{"id": "1", ', 'request: must be JSON'],
    ['a byte-order mark first', '\ufeff{"id":"1","pattern":"v1.test.echo","data":{"text":"x"}}', 'request: must be JSON'],
    ['JSON, not a packet', '["v1.test.echo"]', 'request: must be a { id, pattern, data } packet'],
    ['a packet without an id', '{"pattern":"v1.test.echo","data":{"text":"x"}}', 'request: must be a { id, pattern, data } packet'],
  ])('answers a request that is %s with validation_failed at once', async (_case, data, problem) => {
    const reply = await send(data);
    expect(reply).toEqual({ isDisposed: true, err: expect.objectContaining({ code: 'validation_failed' }) });
    expect(JSON.stringify(reply.err)).toContain(problem);
  });

  it('hands the handler of the dotted subject the payload as sent, and answers with its value', async () => {
    const text = 'ünïcode \u2028 and "quotes"';
    const reply = await send(JSON.stringify({ id: 'r-1', pattern: PATTERN, data: { text } }));
    expect(reply).toEqual({ id: 'r-1', isDisposed: true, response: { replica: 'a', text } });
  });
});

describe('NamespacedNatsServer close (real NATS)', () => {
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
