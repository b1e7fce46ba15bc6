import { randomUUID } from 'node:crypto';
import { RunType, RUN_COMMAND_SUBJECTS, type RunCommand } from '@policyvault/contracts';
import { waitFor } from '@policyvault/testing';
import { createRunServiceFixture, startRequest, TENANT_ID, type RunServiceFixture } from './run-service.fixture.js';

describe('outbox relay (real Postgres and JetStream, run-service restarted for real)', () => {
  let fixture: RunServiceFixture;

  beforeAll(async () => {
    fixture = await createRunServiceFixture(0);
  });

  afterAll(async () => {
    await fixture?.close();
  });

  /** Every command on the stream, by run id (a run id seen twice would be a duplicate command). */
  async function commandsOnStream(): Promise<Map<string, number>> {
    const { names, jsm } = fixture.nats;
    const info = await jsm.streams.info(names.commandStream);
    const counts = new Map<string, number>();
    for (let sequence = info.state.first_seq; info.state.messages > 0 && sequence <= info.state.last_seq; sequence += 1) {
      const message = await jsm.streams.getMessage(names.commandStream, { seq: sequence }).catch(() => null);
      if (!message) continue;
      const runId = message.json<RunCommand>().runId;
      counts.set(runId, (counts.get(runId) ?? 0) + 1);
    }
    return counts;
  }

  it('relays, after a restart, outbox rows committed before the service stopped', async () => {
    const subject = fixture.nats.names.subject(RUN_COMMAND_SUBJECTS[RunType.InventorySync]);
    const runIds = Array.from({ length: 25 }, () => randomUUID());
    // As if a replica committed these starts and died before relaying them.
    for (const runId of runIds) {
      await fixture.database.pool.query(
        `WITH run AS (
           INSERT INTO run_service.runs (id, tenant_id, tenant_directory_id, type, target, scope, scope_hash, dedupe_key, status, initiator_user_id, initiator_email)
           VALUES ($1, $2, 'directory-1', 'inventory.sync', '{}', '{}', 'h', $3, 'queued', $2, 'operator@contoso.test'))
         INSERT INTO run_service.outbox (subject, message_id, payload) VALUES ($4, $5, $6)`,
        [runId, TENANT_ID, `key-${runId}`, subject, `run:${runId}:command`, { runId }],
      );
    }
    expect((await commandsOnStream()).size).toBe(0);

    await fixture.startReplica('run-service-restarted');

    const commands = await waitFor(commandsOnStream, (found) => runIds.every((id) => found.get(id) === 1), {
      what: 'every pending outbox row on the stream',
    });
    expect(runIds.map((id) => commands.get(id))).toEqual(runIds.map(() => 1));
    const unsent = await fixture.database.pool.query(`SELECT count(*)::int AS count FROM run_service.outbox WHERE sent_at IS NULL`);
    expect(unsent.rows[0].count).toBe(0);
  });

  it('loses no accepted start when a replica is killed (SIGKILL) right after answering', async () => {
    const replica = fixture.replicas[fixture.replicas.length - 1];
    const replies = await Promise.all(
      Array.from({ length: 200 }, (_, index) =>
        fixture.start(startRequest({ type: RunType.BackupSetCreate, target: { name: `set ${index}` } })),
      ),
    );
    await replica.kill();
    await fixture.startReplica('run-service-after-kill');

    const accepted = replies.map((reply) => reply.run.id);
    const commands = await waitFor(commandsOnStream, (found) => accepted.every((id) => found.has(id)), {
      what: 'a command for every accepted start',
    });
    // Exactly once: Nats-Msg-Id drops a relay retry of a row that was sent but not yet marked sent.
    expect(accepted.map((id) => commands.get(id))).toEqual(accepted.map(() => 1));
  });
});
