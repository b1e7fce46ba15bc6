import { batchProgress } from './fleet-batch';

const counts = { queued: 0, running: 0, succeeded: 0, partial: 0, failed: 0, canceled: 0, rejected: 0 };

describe('fleet batch progress', () => {
  it('counts ended runs and rejected tenants as finished', () => {
    expect(batchProgress({ tenants: 4, counts: { ...counts, running: 1, succeeded: 1, failed: 1, rejected: 1 } })).toEqual({ finished: 3, percent: 75 });
    expect(batchProgress({ tenants: 3, counts: { ...counts, queued: 3 } })).toEqual({ finished: 0, percent: 0 });
    expect(batchProgress({ tenants: 0, counts })).toEqual({ finished: 0, percent: 100 });
  });
});
