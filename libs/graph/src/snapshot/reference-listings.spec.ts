import { jest } from '@jest/globals';
import { ReferenceListings } from './reference-listings.js';

describe('ReferenceListings', () => {
  it('lists each kind once and shares the listing between callers', async () => {
    const load = jest.fn(async (kind: string) => [`${kind}-1`]);
    const listings = new ReferenceListings(load);
    const [first, second] = await Promise.all([listings.get('scopeTag'), listings.get('scopeTag')]);
    expect(first).toBe(second);
    await listings.get('filter');
    expect(load.mock.calls.map(([kind]) => kind)).toEqual(['scopeTag', 'filter']);
  });

  it('forgets a failed listing, so that the next caller lists again', async () => {
    const load = jest.fn<(kind: string) => Promise<string[]>>().mockRejectedValueOnce(new Error('throttled')).mockResolvedValueOnce(['t-1']);
    const listings = new ReferenceListings<string[]>(load);
    await expect(listings.get('notificationTemplate')).rejects.toThrow('throttled');
    await expect(listings.get('notificationTemplate')).resolves.toEqual(['t-1']);
    expect(load).toHaveBeenCalledTimes(2);
  });
});
