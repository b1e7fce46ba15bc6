import type { Logger } from 'pino';
import { dependenciesWaitedFor, safeConnectionError, waitForDependency } from './wait-for-dependency.js';

function recordingLogger(warnings: Record<string, unknown>[]): Logger {
  return { warn: (line: Record<string, unknown>) => warnings.push(line), info: () => undefined } as unknown as Logger;
}

describe('waitForDependency', () => {
  it('retries until the dependency answers, one numbered warning per failed attempt, and names it while waiting', async () => {
    const warnings: Record<string, unknown>[] = [];
    let calls = 0;
    const waitingSeen: string[][] = [];
    const result = await waitForDependency(
      'database',
      async () => {
        calls += 1;
        waitingSeen.push(dependenciesWaitedFor());
        if (calls < 3) throw Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' });
        return 'connected';
      },
      recordingLogger(warnings),
      { backoff: { baseDelayMs: 1, maxDelayMs: 1 } },
    );
    expect(result).toBe('connected');
    expect(warnings.map((warning) => warning.attempt)).toEqual([1, 2]);
    expect(warnings[0]).toMatchObject({ dependency: 'database', error: { code: 'ECONNREFUSED' } });
    expect(waitingSeen).toEqual([[], ['database'], ['database']]);
    expect(dependenciesWaitedFor()).toEqual([]);
  });

  it('throws at once an error no retry can fix', async () => {
    const refused = new Error('replicas > 1 not supported in non-clustered mode');
    await expect(waitForDependency('jetstream', () => Promise.reject(refused), recordingLogger([]), { retryable: () => false })).rejects.toBe(refused);
  });

  it('masks credentials in a URL of the error message', () => {
    expect(safeConnectionError(new Error('cannot reach nats://app:hunter2@nats:4222')).message).toBe('cannot reach nats://***@nats:4222');
  });
});
