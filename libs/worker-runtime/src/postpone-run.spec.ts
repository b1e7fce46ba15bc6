import { SafeErrorCode } from '@policyvault/contracts';
import { GraphError, ReadOnlyViolationError, TenantThrottledError, TenantUnavailableError } from '@policyvault/graph';
import { WorkerConfig, loadConfig } from '@policyvault/platform';
import { PostponeRun, graphFailure, itemFailure, retryDelayMs } from './postpone-run.js';

const env = { DATABASE_URL: 'postgres://postgres@127.0.0.1:5432/x', PORT: '3002' };

describe('the retry schedule', () => {
  it('defaults to 1, 5, 15, 30, 60 s and reads RETRY_DELAYS_MS as comma-separated milliseconds', () => {
    expect(loadConfig(WorkerConfig, env).RETRY_DELAYS_MS).toEqual([1000, 5000, 15_000, 30_000, 60_000]);
    expect(loadConfig(WorkerConfig, { ...env, RETRY_DELAYS_MS: '200, 400,800' }).RETRY_DELAYS_MS).toEqual([200, 400, 800]);
  });

  it('refuses a malformed schedule at boot, naming the variable', () => {
    for (const value of ['', 'soon', '1000,,2000', '-1', '700000']) {
      expect(() => loadConfig(WorkerConfig, { ...env, RETRY_DELAYS_MS: value })).toThrow(/RETRY_DELAYS_MS/);
    }
  });

  it('picks the delay by delivery and repeats the last one', () => {
    const schedule = [1000, 5000, 15_000];
    expect([1, 2, 3, 4, 50].map((delivery) => retryDelayMs(schedule, delivery))).toEqual([1000, 5000, 15_000, 15_000, 15_000]);
  });
});

describe('graphFailure and itemFailure', () => {
  const postponed = (run: () => unknown) => {
    try {
      run();
    } catch (error) {
      if (error instanceof PostponeRun) return error;
      throw error;
    }
    throw new Error('not postponed');
  };

  it('postpones a transient whole-call failure by the given delay, and an open breaker by its Retry-After', () => {
    expect(postponed(() => graphFailure(new GraphError({ code: SafeErrorCode.GraphUnavailable, httpStatus: 503, transient: true }), 15_000)).delayMs).toBe(15_000);
    const breaker = new TenantUnavailableError(12);
    expect(postponed(() => graphFailure(breaker, 15_000)).delayMs).toBe(12_000);
    expect(postponed(() => itemFailure(breaker, 'deviceConfiguration')).delayMs).toBe(12_000);
  });

  it('postpones an item Graph kept throttling past the throttle budget instead of failing it', () => {
    const throttled = new TenantThrottledError(20);
    const run = postponed(() => itemFailure(throttled, 'deviceConfiguration'));
    expect(run).toMatchObject({ delayMs: 20_000, reason: 'tenant throttled (throttle budget spent)' });
    expect(postponed(() => graphFailure(throttled, 1000)).delayMs).toBe(20_000);
  });

  it('turns a definite failure into the safe error of the items; rethrows a read-only violation and non-Graph errors', () => {
    expect(graphFailure(new GraphError({ code: SafeErrorCode.GraphForbidden, httpStatus: 403 }), 1000, 'deviceConfiguration')).toMatchObject({ code: SafeErrorCode.GraphForbidden });
    expect(itemFailure(new GraphError({ code: SafeErrorCode.GraphNotFound, httpStatus: 404 }), 'deviceConfiguration')).toMatchObject({ code: SafeErrorCode.GraphNotFound });
    expect(() => graphFailure(new ReadOnlyViolationError('POST'), 1000)).toThrow(ReadOnlyViolationError);
    expect(() => itemFailure(new Error('bug'), 'deviceConfiguration')).toThrow('bug');
  });
});
