// A command whose last delivery dies unanswered (a crashed worker: no ack, no nak, no heartbeat) is
// announced by JetStream's max-deliveries advisory; the watcher records it and clears it from the
// work queue, so nothing is lost silently.
import { randomUUID } from 'node:crypto';
import pino from 'pino';
import { AckPolicy, DeliverPolicy } from '@nats-io/jetstream';
import { nanos } from '@nats-io/transport-node';
import { MaxDeliveriesWatcher, type ExhaustedMessage } from '../src/index.js';
import { createTestNats, waitFor, type TestNats } from '@policyvault/testing';

describe('max-deliveries watcher (real JetStream)', () => {
  let nats: TestNats;

  beforeAll(async () => {
    nats = await createTestNats();
  });

  afterAll(async () => {
    await nats?.close();
  });

  it('records a command whose every delivery was left unanswered, and removes it from the work queue', async () => {
    const { names, jsm, js, connection } = nats;
    const durable = 'crashing-worker';
    await jsm.consumers.add(names.commandStream, {
      durable_name: durable,
      ack_policy: AckPolicy.Explicit,
      deliver_policy: DeliverPolicy.All,
      filter_subject: names.restoreCommandFilter,
      max_deliver: 2,
      ack_wait: nanos(500),
    });
    const recorded: ExhaustedMessage[] = [];
    const watcher = new MaxDeliveriesWatcher(connection, jsm, names.commandStream, durable, async (message) => {
      recorded.push(message);
    }, pino({ level: 'silent' }));
    watcher.start();

    const runId = randomUUID();
    await js.publish(names.subject('cmd.restore.execute.v1'), JSON.stringify({ runId }));
    const consumer = await js.consumers.get(names.commandStream, durable);
    // Two deliveries, neither answered: like a worker that dies mid-command, twice.
    for (let delivery = 1; delivery <= 2; delivery += 1) {
      const message = await waitFor(() => consumer.next({ expires: 2000 }), (found) => found !== null, { what: `delivery ${delivery}` });
      expect(message!.info.deliveryCount).toBe(delivery);
    }
    // Live workers keep pulling; the server notices the exhausted message when it looks for the next one.
    expect(await consumer.next({ expires: 1500 })).toBeNull();

    const [entry] = await waitFor(async () => recorded, (found) => found.length === 1, { what: 'the exhausted command to be recorded' });
    expect(JSON.parse(Buffer.from(entry.data).toString('utf8'))).toEqual({ runId });
    expect(entry).toMatchObject({ deliveryCount: 2, reason: expect.stringContaining('never answered') });
    await waitFor(async () => (await jsm.streams.info(names.commandStream)).state.messages, (left) => left === 0, {
      what: 'the command to leave the work queue',
    });
    await watcher.stop();
  });
});
