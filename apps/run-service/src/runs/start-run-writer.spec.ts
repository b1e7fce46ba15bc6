import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { RunType, jetStreamNames } from '@policyvault/contracts';
import type { ClaimedOutboxRow, StartInputRow } from '../database/run-service.sql.js';
import { StartRunWriter, type PendingStart } from './start-run-writer.js';

const names = jetStreamNames('pvtest_writer');
const tick = () => new Promise((resolve) => setImmediate(resolve));

function pendingStart(): PendingStart {
  const id = randomUUID();
  const tenantId = randomUUID();
  return {
    id,
    tenantId,
    tenantDirectoryId: 'contoso.onmicrosoft.com',
    type: RunType.BackupSetCreate,
    target: { name: `backup ${id}` },
    scope: {},
    scopeHash: 'scope',
    dedupeKey: `${tenantId}|backup_set.create|${id}`,
    initiatorUserId: randomUUID(),
    initiatorEmail: 'operator@contoso.test',
    subject: names.subject('cmd.capture.backup-set.v1'),
    messageId: `run:${id}:command`,
    payload: { runId: id, queuedAt: new Date(0).toISOString() },
    traceContext: null,
  };
}

/**
 * Postgres as the batched insert answers it, each statement held until the test commits it: every start of the
 * statement inserted, queued at a time of the database's own clock.
 */
function controlledDatabase() {
  const statements: StartInputRow[][] = [];
  const commits: Array<() => void> = [];
  let sequence = 0;
  // The batched insert is a prepared statement: it runs on the data source's pg pool.
  const query = ({ values: [json] }: { values: [string] }) => {
    const inputs = JSON.parse(json) as StartInputRow[];
    statements.push(inputs);
    return new Promise((resolve) => {
      commits.push(() =>
        resolve({
          rows: inputs.map((input) => ({
            id: input.id,
            tenantId: input.tenant_id,
            status: 'queued',
            commandOutboxId: String((sequence += 1)),
            statusOutboxId: String((sequence += 1)),
            queuedAtIso: '2026-12-02T10:00:00.123Z',
          })),
        }),
      );
    });
  };
  const database = Object.assign(Object.create(DataSource.prototype) as DataSource, { driver: { master: { query } } });
  return { database, statements, commits };
}

function recordingRelay() {
  const published: ClaimedOutboxRow[][] = [];
  return { published, relay: { publishCommitted: (rows: ClaimedOutboxRow[]) => void published.push(rows), kick: () => undefined } };
}

describe('StartRunWriter (starts written in batches)', () => {
  it('writes the starts of one loop turn as one statement, the first start of a burst included', async () => {
    const { database, statements, commits } = controlledDatabase();
    const { relay, published } = recordingRelay();
    const writer = new StartRunWriter(database, names, relay);
    const starts = Array.from({ length: 10 }, pendingStart);
    const replies = Promise.all(starts.map((start) => writer.write(start)));
    await tick();
    expect(statements.map((statement) => statement.map((input) => input.id))).toEqual([starts.map((start) => start.id)]);
    commits[0]();
    const answered = await replies;
    expect(answered.map((reply) => [reply?.run.id, reply?.reused])).toEqual(starts.map((start) => [start.id, false]));
    // Published as stored: stamped with the run's queued_at, each command before its run's "queued" event.
    expect(published).toHaveLength(1);
    expect(published[0].map((row) => row.messageId)).toEqual(starts.flatMap((start) => [`run:${start.id}:command`, `run:${start.id}:status:queued`]));
    expect(published[0].filter((_, index) => index % 2 === 0).map((row) => row.payload.queuedAt)).toEqual(starts.map(() => '2026-12-02T10:00:00.123Z'));
    expect(published[0].filter((_, index) => index % 2 === 1).map((row) => row.payload.occurredAt)).toEqual(starts.map(() => '2026-12-02T10:00:00.123Z'));
  });

  it('splits a burst into statements of at most 64, two at a time, and answers each batch after its rows left', async () => {
    const { database, statements, commits } = controlledDatabase();
    const { relay, published } = recordingRelay();
    const writer = new StartRunWriter(database, names, relay);
    const answeredIds: string[] = [];
    const starts = Array.from({ length: 150 }, pendingStart);
    const replies = Promise.all(starts.map((start) => writer.write(start).then((reply) => void answeredIds.push(reply!.run.id))));
    await tick();
    expect(statements.map((statement) => statement.length)).toEqual([64, 64]);
    commits[0]();
    // The third statement starts once the first is done; the first batch's replies follow its publish.
    for (let turn = 0; turn < 10; turn += 1) await tick();
    expect(published.map((rows) => rows.length)).toEqual([128]);
    expect(answeredIds).toHaveLength(64);
    expect(statements.map((statement) => statement.length)).toEqual([64, 64, 22]);
    commits[1]();
    commits[2]();
    await replies;
    expect(new Set(answeredIds).size).toBe(150);
    expect(published.map((rows) => rows.length)).toEqual([128, 128, 44]);
  });
});
