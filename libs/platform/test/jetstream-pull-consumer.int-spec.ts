// The pull consumer's hold on a message: heartbeats from its receipt (a message waiting for a slot
// included), so a short ack_wait only matters when the process died; and an existing durable takes the
// configured ack_wait at start (a deployment that shortens it reaches consumers made before).
import pino from 'pino';
import { AckPolicy, DeliverPolicy, type JsMsg } from '@nats-io/jetstream';
import { nanos } from '@nats-io/transport-node';
import { JetStreamPullConsumer, Outcome } from '../src/index.js';
import { createTestNats, waitFor, type TestNats } from '@policyvault/testing';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('JetStream pull consumer (real JetStream)', () => {
  let nats: TestNats;
  const consumers: JetStreamPullConsumer[] = [];

  beforeAll(async () => {
    nats = await createTestNats();
  });

  afterAll(async () => {
    await Promise.all(consumers.map((consumer) => consumer.stop()));
    await nats?.close();
  });

  function start(durable: string, filterSubject: string, options: { ackWaitMs: number; concurrency: number; prefetch?: boolean }, handle: (message: JsMsg) => Promise<void>) {
    const consumer = new JetStreamPullConsumer(
      nats.js,
      nats.jsm,
      nats.connection,
      { stream: nats.names.workerEventStream, durable, filterSubject, maxDeliver: 5, ...options },
      { handle: async (message) => (await handle(message), Outcome.done()), onDropped: async () => undefined },
      pino({ level: 'silent' }),
    );
    consumers.push(consumer);
    return consumer.start().then(() => consumer);
  }

  it('heartbeats a message while it waits for a slot and while it is handled: nothing is redelivered', async () => {
    const subject = nats.names.subject('evt.worker.run-started.v1');
    const handled: { data: string; deliveryCount: number }[] = [];
    // One slot, each message handled for 2.5 × ack_wait: the second waits that long for the slot. An ack_wait of 2 s
    // (heartbeats every 500 ms): with 1 s, a busy CI host (load ~10) once stalled the heartbeats for a whole ack_wait.
    await start('slow-events', subject, { ackWaitMs: 2000, concurrency: 1 }, async (message) => {
      handled.push({ data: message.string(), deliveryCount: message.info.deliveryCount });
      await sleep(5000);
    });
    await nats.js.publish(subject, 'first');
    await nats.js.publish(subject, 'second');
    await waitFor(
      () => nats.jsm.consumers.info(nats.names.workerEventStream, 'slow-events'),
      (info) => info.num_pending === 0 && info.num_ack_pending === 0 && info.delivered.consumer_seq >= 2,
      { what: 'both messages acknowledged', timeoutMs: 30_000 },
    );
    expect(handled).toEqual([
      { data: 'first', deliveryCount: 1 },
      { data: 'second', deliveryCount: 1 },
    ]);
    const info = await nats.jsm.consumers.info(nats.names.workerEventStream, 'slow-events');
    expect(info.num_redelivered).toBe(0);
  });

  it('acknowledges a burst of messages once each (acks confirmed in groups): stop() returns with nothing left unacknowledged', async () => {
    const subject = nats.names.subject('evt.worker.item-finished.v1');
    const handled = new Map<string, number[]>();
    // Short ack_wait: an ack that never reached the server would bring its message back within the test.
    const consumer = await start('burst-events', subject, { ackWaitMs: 1000, concurrency: 8 }, async (message) => {
      handled.set(message.string(), [...(handled.get(message.string()) ?? []), message.info.deliveryCount]);
    });
    await Promise.all(Array.from({ length: 50 }, (_, index) => nats.js.publish(subject, `item ${index}`)));
    await waitFor(async () => handled.size, (size) => size === 50, { what: 'every message handled', timeoutMs: 15_000 });
    await consumer.stop();
    // The server applies an ack it has read on its own schedule: a lost ack would stay pending (nobody consumes now).
    const info = await waitFor(
      () => nats.jsm.consumers.info(nats.names.workerEventStream, 'burst-events'),
      (current) => current.num_ack_pending === 0,
      { what: 'every ack applied', timeoutMs: 900 },
    );
    expect(info.ack_floor.stream_seq).toBe(info.delivered.stream_seq);
    // Past the ack wait: nothing came back.
    await sleep(1500);
    expect([...handled.values()].every((deliveries) => deliveries.length === 1 && deliveries[0] === 1)).toBe(true);
    expect((await nats.jsm.consumers.info(nats.names.workerEventStream, 'burst-events')).num_redelivered).toBe(0);
  });

  it('gives a durable made with another ack_wait the configured one', async () => {
    const subject = nats.names.subject('evt.worker.run-finished.v1');
    await nats.jsm.consumers.add(nats.names.workerEventStream, {
      durable_name: 'older-deployment',
      ack_policy: AckPolicy.Explicit,
      deliver_policy: DeliverPolicy.All,
      filter_subject: subject,
      ack_wait: nanos(60_000),
    });
    await start('older-deployment', subject, { ackWaitMs: 15_000, concurrency: 1, prefetch: false }, async () => undefined);
    const info = await nats.jsm.consumers.info(nats.names.workerEventStream, 'older-deployment');
    expect(info.config.ack_wait).toBe(nanos(15_000));
  });
});
