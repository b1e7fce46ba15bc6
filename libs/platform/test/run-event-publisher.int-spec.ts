// The worker's run event publisher on real JetStream: item events batched while one is being published.
import 'reflect-metadata';
import { randomUUID } from 'node:crypto';
import { MAX_ITEMS_PER_EVENT, RunItemStatus, WorkerEventSubjects, workerEventSubject, type WorkerItemFinishedEvent } from '@policyvault/contracts';
import { createTestNats, type TestNats } from '@policyvault/testing';
import { RunEventPublisher } from '../src/index.js';

describe('RunEventPublisher item events (real JetStream)', () => {
  let nats: TestNats;

  beforeAll(async () => {
    nats = await createTestNats();
  });

  afterAll(async () => {
    await nats?.close();
  });

  async function itemEvents(): Promise<WorkerItemFinishedEvent[]> {
    const subject = nats.names.subject(workerEventSubject(WorkerEventSubjects.itemFinished, 'capture-worker'));
    const { state } = await nats.jsm.streams.info(nats.names.workerEventStream);
    const events: WorkerItemFinishedEvent[] = [];
    for (let seq = state.first_seq; state.messages > 0 && seq <= state.last_seq; seq += 1) {
      const message = await nats.jsm.streams.getMessage(nats.names.workerEventStream, { seq }).catch(() => null);
      if (message?.subject === subject) events.push(message.json<WorkerItemFinishedEvent>());
    }
    return events;
  }

  it('publishes a lone item as a single event, and the items reported meanwhile in batches, each call settled once its event is stored', async () => {
    const runId = randomUUID();
    const tenantId = randomUUID();
    const publisher = new RunEventPublisher(nats.js, nats.names, 'capture-worker', runId, tenantId);
    await publisher.itemFinished({ itemKey: 'policy:first', status: RunItemStatus.Succeeded, outcome: 'captured', result: { versionId: 'v1' } });
    const keys = Array.from({ length: MAX_ITEMS_PER_EVENT + 20 }, (_, index) => `policy:${index}`);
    // Reported in one tick: they go out together, at most MAX_ITEMS_PER_EVENT per event, in order.
    await Promise.all(keys.map((itemKey, index) => publisher.itemFinished({ itemKey, status: index === 3 ? RunItemStatus.Failed : RunItemStatus.Succeeded, label: itemKey })));

    const events = (await itemEvents()).filter((event) => event.runId === runId);
    expect(events).toHaveLength(3);
    expect(events[0]).toEqual({ runId, tenantId, itemKey: 'policy:first', status: 'succeeded', outcome: 'captured', result: { versionId: 'v1' }, occurredAt: expect.any(String) });
    expect(events[1].items).toHaveLength(MAX_ITEMS_PER_EVENT);
    expect(events[2].items).toHaveLength(20);
    const batched = [...events[1].items!, ...events[2].items!];
    expect(batched.map((report) => report.itemKey)).toEqual(keys);
    expect(batched[3]).toEqual({ itemKey: 'policy:3', status: 'failed', label: 'policy:3', occurredAt: expect.any(String) });
    expect(events[1]).toMatchObject({ runId, tenantId, occurredAt: events[1].items![MAX_ITEMS_PER_EVENT - 1].occurredAt });
    expect(events[1].itemKey).toBeUndefined();
  });
});
