import { jest } from '@jest/globals';
import { SharedReads } from './shared-reads.js';

describe('SharedReads', () => {
  it('reads each key once and shares the read between callers', async () => {
    const load = jest.fn(async (kind: string) => [`${kind}-1`]);
    const listings = new SharedReads(load);
    const [first, second] = await Promise.all([listings.get('scopeTag'), listings.get('scopeTag')]);
    expect(first).toBe(second);
    await listings.get('filter');
    expect(load.mock.calls.map(([kind]) => kind)).toEqual(['scopeTag', 'filter']);
  });

  it('forgets a failed read, so that the next caller reads again', async () => {
    const load = jest.fn<(kind: string) => Promise<string[]>>().mockRejectedValueOnce(new Error('throttled')).mockResolvedValueOnce(['t-1']);
    const listings = new SharedReads<string, string[]>(load);
    await expect(listings.get('notificationTemplate')).rejects.toThrow('throttled');
    await expect(listings.get('notificationTemplate')).resolves.toEqual(['t-1']);
    expect(load).toHaveBeenCalledTimes(2);
  });
});
