import { jest } from '@jest/globals';
import { QueryClient } from '@tanstack/react-query';
import { coalescedInvalidation } from './coalesced-invalidation';

describe('coalescedInvalidation', () => {
  beforeEach(() => jest.useFakeTimers());
  afterEach(() => jest.useRealTimers());

  function setUp() {
    const queryClient = new QueryClient();
    const invalidated: unknown[] = [];
    jest.spyOn(queryClient, 'invalidateQueries').mockImplementation(async (filters) => void invalidated.push(filters?.queryKey));
    return { invalidated, coalesced: coalescedInvalidation(queryClient, 500) };
  }

  it('invalidates the first key at once and each key asked for during the window once, when it ends', () => {
    const { invalidated, coalesced } = setUp();
    coalesced.invalidate(['tenants', 't1', 'runs']);
    expect(invalidated).toEqual([['tenants', 't1', 'runs']]);
    for (let event = 0; event < 50; event += 1) {
      coalesced.invalidate(['tenants', 't1', 'runs']);
      coalesced.invalidate(['notifications']);
    }
    expect(invalidated).toHaveLength(1);
    jest.advanceTimersByTime(500);
    expect(invalidated).toEqual([['tenants', 't1', 'runs'], ['tenants', 't1', 'runs'], ['notifications']]);
  });

  it('is immediate again after a quiet window, and drops what is pending when disposed', () => {
    const { invalidated, coalesced } = setUp();
    coalesced.invalidate(['a']);
    jest.advanceTimersByTime(500); // the window ends with nothing pending
    jest.advanceTimersByTime(10);
    coalesced.invalidate(['b']);
    expect(invalidated).toEqual([['a'], ['b']]);
    coalesced.invalidate(['c']);
    coalesced.dispose();
    jest.advanceTimersByTime(1_000);
    expect(invalidated).toEqual([['a'], ['b']]);
  });
});
