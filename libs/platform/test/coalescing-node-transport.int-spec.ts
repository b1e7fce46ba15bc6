// A connection through the coalescing transport writes once per event-loop turn: flushes the client makes
// separately in one turn (each in its own microtask) leave in one socket write, in order, and a close right
// after them still sends them all.
import type { Socket } from 'node:net';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import { afterCoalescedWrites, CoalescingNodeTransport, connectCoalescing, writeCoalescedNow } from '../src/nats/coalescing-node-transport.js';
import { NATS_URL, uniqueName, waitFor } from '@policyvault/testing';

/** The socket under a connection (internal to nats.js: read here only to count its writes). */
function socketOf(connection: NatsConnection): Socket {
  const transport = (connection as unknown as { protocol: { transport: unknown } }).protocol.transport;
  expect(transport).toBeInstanceOf(CoalescingNodeTransport);
  return (transport as CoalescingNodeTransport).socket;
}

/** Counts the socket's writes to the kernel (one `_write` or `_writev` each). */
function countWrites(socket: Socket): () => number {
  let writes = 0;
  const target = socket as unknown as Record<'_write' | '_writev', (...parameters: unknown[]) => unknown>;
  for (const method of ['_write', '_writev'] as const) {
    const original = target[method].bind(socket);
    target[method] = (...parameters: unknown[]) => {
      writes += 1;
      return original(...parameters);
    };
  }
  return () => writes;
}

/**
 * Runs `test` on a new coalescing connection whose socket writes are counted from a fresh loop turn on (after its
 * handshake's), and closes the connection after.
 */
async function withCountedWrites(test: (connection: NatsConnection, writes: () => number) => Promise<void>): Promise<void> {
  const connection = await connectCoalescing({ servers: NATS_URL });
  try {
    await new Promise((resolve) => setImmediate(resolve));
    await test(connection, countWrites(socketOf(connection)));
  } finally {
    await connection.close();
  }
}

/** Publishes `count` messages, each flushed by the client on its own (a microtask turn apart). */
async function publishSeparately(connection: NatsConnection, subject: string, count: number): Promise<void> {
  for (let index = 0; index < count; index += 1) {
    connection.publish(subject, String(index));
    for (let turn = 0; turn < 3; turn += 1) await Promise.resolve();
  }
}

describe('coalescing NATS transport (real NATS)', () => {
  let receiver: NatsConnection;

  beforeAll(async () => {
    receiver = await connect({ servers: NATS_URL });
  });

  afterAll(async () => {
    await receiver?.close();
  });

  async function subscribe(subject: string): Promise<string[]> {
    const received: string[] = [];
    receiver.subscribe(subject, { callback: (_error, message) => void received.push(message.string()) });
    await receiver.flush();
    return received;
  }

  it('sends the flushes of one loop turn in one write, in order, and every message arrives', async () => {
    const subject = `${uniqueName()}.coalesced`;
    const received = await subscribe(subject);
    await withCountedWrites(async (connection, writes) => {
      await publishSeparately(connection, subject, 20);
      expect(writes()).toBe(0); // still corked: nothing leaves before the turn ends
      await new Promise((resolve) => setImmediate(resolve));
      expect(writes()).toBe(1);

      await waitFor(async () => received.length, (length) => length === 20, { what: '20 messages' });
      expect(received).toEqual(Array.from({ length: 20 }, (_, index) => String(index)));
    });
  });

  it('afterCoalescedWrites resolves after the frames of its turn were written, and before what follows it', async () => {
    const subject = `${uniqueName()}.ordered`;
    const received = await subscribe(subject);
    await withCountedWrites(async (connection, writes) => {
      connection.publish(subject, 'before'); // handed to the transport only by the client's flush microtask
      const oneImmediate = new Promise<number>((resolve) => setImmediate(() => resolve(writes())));
      await afterCoalescedWrites();
      expect(writes()).toBe(1);
      expect(await oneImmediate).toBe(0); // a single immediate would have run before the write

      connection.publish(subject, 'after');
      await afterCoalescedWrites();
      expect(writes()).toBe(2);
      await waitFor(async () => received.length, (length) => length === 2, { what: '2 messages' });
      expect(received).toEqual(['before', 'after']);
    });
  });

  it('writeCoalescedNow, queued after the sends, writes them before the turn ends; what follows is corked again', async () => {
    const subject = `${uniqueName()}.prompt`;
    const received = await subscribe(subject);
    await withCountedWrites(async (connection, writes) => {
      const atFirstImmediate = new Promise<number>((resolve) => setImmediate(() => resolve(writes())));

      connection.publish(subject, 'prompt'); // handed to the transport by the client's flush microtask, queued first
      await new Promise<void>((resolve) => queueMicrotask(() => (writeCoalescedNow(), resolve())));
      expect(writes()).toBe(1); // written in this turn, before any immediate

      connection.publish(subject, 'later'); // corks again: leaves when the turn ends, as usual
      for (let turn = 0; turn < 3; turn += 1) await Promise.resolve();
      expect(writes()).toBe(1);
      expect(await atFirstImmediate).toBe(1);
      await afterCoalescedWrites();
      expect(writes()).toBe(2);
      await new Promise((resolve) => setImmediate(resolve));
      expect(writes()).toBe(2); // one write per cork: the first cork's own uncork found nothing left

      await waitFor(async () => received.length, (length) => length === 2, { what: '2 messages' });
      expect(received).toEqual(['prompt', 'later']);
    });
  });

  it('answers requests as usual', async () => {
    const subject = `${uniqueName()}.echo`;
    const responder = receiver.subscribe(subject, { callback: (_error, message) => void message.respond(`echo ${message.string()}`) });
    await receiver.flush();
    const connection = await connectCoalescing({ servers: NATS_URL });
    try {
      const replies = await Promise.all(['a', 'b', 'c'].map((text) => connection.request(subject, text, { timeout: 5_000 })));
      expect(replies.map((reply) => reply.string())).toEqual(['echo a', 'echo b', 'echo c']);
    } finally {
      responder.unsubscribe();
      await connection.close();
    }
  });

  it('still sends what was published just before a close', async () => {
    const subject = `${uniqueName()}.closing`;
    const received = await subscribe(subject);
    const connection = await connectCoalescing({ servers: NATS_URL });
    await publishSeparately(connection, subject, 50);
    await connection.close();

    await waitFor(async () => received.length, (length) => length === 50, { what: '50 messages' });
    expect(received).toEqual(Array.from({ length: 50 }, (_, index) => String(index)));
  });

  it('refuses websocket servers as transport-node does', async () => {
    await expect(connectCoalescing({ servers: 'ws://127.0.0.1:1' })).rejects.toThrow("node client doesn't support websockets, use the 'wsconnect' function instead");
  });
});
