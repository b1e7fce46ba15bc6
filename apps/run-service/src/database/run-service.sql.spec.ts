import { beginAndClaimUnsentOutbox, markOutboxSent, markOutboxSentAndCommit, type SimpleQueryConnection } from './run-service.sql.js';

/** A connection that answers each statement with the next prepared result and records what it was sent. */
function connectionAnswering(...results: unknown[]): SimpleQueryConnection & { sent: string[] } {
  const sent: string[] = [];
  return {
    sent,
    query: async (text: string) => {
      sent.push(text);
      return results.shift();
    },
  };
}

describe('the outbox relay statements', () => {
  it('begins the transaction and claims the oldest unsent rows, skipping locked ones, in one round trip', async () => {
    const row = { id: '7', subject: 'evt.run.status.v1.t', messageId: 'm-7', payload: { runId: 'r' }, traceContext: null };
    const connection = connectionAnswering([{ rows: [] }, { rows: [row] }]);

    await expect(beginAndClaimUnsentOutbox(connection, 200)).resolves.toEqual([row]);
    expect(connection.sent).toHaveLength(1);
    expect(connection.sent[0]).toMatch(/^BEGIN;\s+SELECT .* FROM run_service\.outbox WHERE sent_at IS NULL\s+ORDER BY id LIMIT 200 FOR UPDATE SKIP LOCKED$/s);
  });

  it('claims only rows written at least settledMs ago when asked (a sweep leaves fresh rows to their writer)', async () => {
    const connection = connectionAnswering([{ rows: [] }, { rows: [] }]);

    await expect(beginAndClaimUnsentOutbox(connection, 50, 1000)).resolves.toEqual([]);
    expect(connection.sent[0]).toMatch(
      /WHERE sent_at IS NULL AND created_at < now\(\) - interval '1000 milliseconds'\s+ORDER BY id LIMIT 50 FOR UPDATE SKIP LOCKED$/s,
    );
  });

  it('marks rows a start batch published sent in one parameterized statement, skipping rows already marked', async () => {
    const sent: unknown[][] = [];
    const database = { query: async (...args: unknown[]) => (sent.push(args), [[{ id: '6', lag: '0.004' }], 1]) };

    await expect(markOutboxSent(database as never, ['5', '6'])).resolves.toEqual([{ id: '6', lag: 0.004 }]);
    expect(sent).toHaveLength(1);
    expect(sent[0][0]).toMatch(/WHERE id = ANY\(\$1::bigint\[\]\) AND sent_at IS NULL/);
    expect(sent[0][1]).toEqual([['5', '6']]);
  });

  it('marks the published rows sent and commits in one round trip, returning their lags', async () => {
    const connection = connectionAnswering([{ rows: [{ lag: 0.012 }, { lag: 0.02 }] }, { rows: [] }]);

    await expect(markOutboxSentAndCommit(connection, ['41', '42'])).resolves.toEqual([0.012, 0.02]);
    expect(connection.sent).toHaveLength(1);
    expect(connection.sent[0]).toContain(`WHERE id = ANY('{41,42}'::bigint[])`);
    expect(connection.sent[0]).toMatch(/;\s*COMMIT$/);
  });

  it('refuses an id that is not a bigint before sending anything (ids are written into the statement)', async () => {
    const connection = connectionAnswering();

    await expect(markOutboxSentAndCommit(connection, ['1', "1}'::bigint[]); DROP TABLE x; --"])).rejects.toThrow('is not a bigint');
    await expect(beginAndClaimUnsentOutbox(connection, 0)).rejects.toThrow('not a positive integer');
    await expect(beginAndClaimUnsentOutbox(connection, 10, 1.5)).rejects.toThrow('not a non-negative integer');
    expect(connection.sent).toEqual([]);
  });
});
