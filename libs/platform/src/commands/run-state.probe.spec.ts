import { jest } from '@jest/globals';
import { RunStatus, type RunView } from '@policyvault/contracts';
import type { NatsRequestClient } from '../messaging/nats-request.client.js';
import { RunStateProbe } from './run-state.probe.js';

const TENANT = '11111111-1111-4111-8111-111111111111';
const RUN = '22222222-2222-4222-8222-222222222222';

const view = (cancelRequested: boolean) => ({ id: RUN, tenantId: TENANT, status: RunStatus.Running, cancelRequested }) as RunView;

/** A run-service whose answers the test releases one by one, and a clock the test moves. */
function probeWithAnswers() {
  const answers: Array<(run: RunView) => void> = [];
  const request = jest.fn(() => new Promise<RunView>((resolve) => answers.push(resolve)));
  let now = 1_000_000;
  const probe = new RunStateProbe({ request } as unknown as NatsRequestClient, () => now);
  return { probe, request, answers, advance: (ms: number) => (now += ms) };
}

describe('RunStateProbe.current (the cancel check between items)', () => {
  it('asks run-service once for checks made together, and answers a young answer from the cache', async () => {
    const { probe, request, answers, advance } = probeWithAnswers();
    const checks = [probe.current(TENANT, RUN), probe.current(TENANT, RUN), probe.current(TENANT, RUN)];
    expect(request).toHaveBeenCalledTimes(1);
    answers[0](view(false));
    expect((await Promise.all(checks)).map((run) => run?.cancelRequested)).toEqual([false, false, false]);
    advance(500);
    expect(await probe.current(TENANT, RUN)).toMatchObject({ cancelRequested: false });
    expect(request).toHaveBeenCalledTimes(1);
  });

  it('does not wait for run-service while the answer is a little old, and sees a cancel at the check after the new answer', async () => {
    const { probe, request, answers, advance } = probeWithAnswers();
    const first = probe.current(TENANT, RUN);
    answers[0](view(false));
    await first;
    advance(1500);
    // The answer is 1.5 s old: the check goes on with it and asks again, once.
    expect(await probe.current(TENANT, RUN)).toMatchObject({ cancelRequested: false });
    expect(await probe.current(TENANT, RUN)).toMatchObject({ cancelRequested: false });
    expect(request).toHaveBeenCalledTimes(2);
    answers[1](view(true));
    await new Promise((resolve) => setImmediate(resolve));
    expect(await probe.current(TENANT, RUN)).toMatchObject({ cancelRequested: true });
  });

  it('waits for the new answer once the known one is too old to go on with', async () => {
    const { probe, answers, advance } = probeWithAnswers();
    const first = probe.current(TENANT, RUN);
    answers[0](view(false));
    await first;
    advance(5000);
    let settled: RunView | undefined;
    const check = probe.current(TENANT, RUN).then((run) => (settled = run));
    await new Promise((resolve) => setImmediate(resolve));
    expect(settled).toBeUndefined();
    answers[1](view(true));
    await check;
    expect(settled).toMatchObject({ cancelRequested: true });
  });
});
