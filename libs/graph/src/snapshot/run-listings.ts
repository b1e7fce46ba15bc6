import { SafeErrorCode } from '@policyvault/contracts';
import { getPolicyTypeContract, isSharedCollection } from '../contracts/policy-type-contracts.js';
import { GraphError } from '../errors/graph-error.js';
import { isPlainObject } from '../contracts/strip-for-write.js';
import type { GraphClient } from '../client/graph-client.js';
import { SharedReads } from '../client/shared-reads.js';
import { collectionListingsFor, listCollection, type CollectionListing, type ListPoliciesOptions } from './policy-reader.js';

type GraphObject = Record<string, unknown>;

/** A Graph call that got no answer at all: it timed out, or the connection failed. */
const isExchangeFailure = (error: unknown) => error instanceof GraphError && (error.code === SafeErrorCode.GraphTimeout || error.code === SafeErrorCode.GraphNetworkError);

/** A prefetched first page, and when its read began. */
interface FirstPage {
  listedAt: Date;
  page: unknown;
}

/**
 * A run's listings of collections (`ListPoliciesOptions.listings`), by URL:
 * - a collection several types list (the enrollment configurations) is listed once for all of them (a failed listing
 *   is forgotten, so the next type lists it again);
 * - `prefetch` reads the first page of every collection the run's types are listed from together, in `$batch` calls
 *   (20 sub-requests each, per API version), instead of an HTTP exchange per collection. Each sub-request costs the
 *   tenant's budget what the request alone would, and fails as the request alone would (its own retries, the same
 *   errors), so a listing taken from it is the listing `listPolicies` would read; a batch that got no answer at all
 *   (a timeout, a broken connection) leaves each of its listings to its own request. Later pages follow
 *   `@odata.nextLink`.
 */
export class RunListings {
  private readonly shared: SharedReads<string, CollectionListing>;
  private readonly firstPages = new Map<string, Promise<FirstPage>>();

  constructor(private readonly client: GraphClient) {
    this.shared = new SharedReads((url: string) => this.read(url));
  }

  /**
   * Starts reading the first pages of these types' collections (as `listPolicies` asks for them with `options`).
   * Returns at once; each listing then waits for its page. A collection alone in its API version is left to its own
   * request (a batch of one saves nothing).
   */
  prefetch(types: Iterable<string>, options: Pick<ListPoliciesOptions, 'expandAssignments'> & { pageSize?: number } = {}): void {
    const byVersion = new Map<'beta' | 'v1.0', Set<string>>();
    for (const type of types) {
      const lookup = getPolicyTypeContract(type);
      if (!lookup.supported) continue;
      const version = lookup.contract.apiVersion;
      for (const { url } of collectionListingsFor(lookup.contract, options.pageSize, options)) {
        if (this.firstPages.has(url)) continue;
        byVersion.set(version, (byVersion.get(version) ?? new Set()).add(url));
      }
    }
    for (const [version, urlSet] of byVersion) {
      const urls = [...urlSet];
      if (urls.length < 2) continue;
      const listedAt = new Date();
      const answers = this.client.batch(
        version,
        urls.map((url, index) => ({ id: String(index), method: 'GET' as const, url: url.slice(version.length + 1) })),
      );
      urls.forEach((url, index) => {
        const firstPage = answers.then((results): FirstPage => {
          const result = results[index];
          if (!result.ok) throw result.error;
          return { listedAt, page: result.body };
        });
        // Taken by `list`; a page no listing asks for (the run stopped first) must not be an unhandled rejection.
        firstPage.catch(() => undefined);
        this.firstPages.set(url, firstPage);
      });
    }
  }

  /** A collection's listing (every page): once per run for a shared collection, from its first page when prefetched. */
  list(url: string): Promise<CollectionListing> {
    return isSharedCollection(url.split('?')[0]) ? this.shared.get(url) : this.read(url);
  }

  private async read(url: string): Promise<CollectionListing> {
    const firstPage = this.firstPages.get(url);
    if (!firstPage) return listCollection(this.client, url);
    this.firstPages.delete(url);
    let prefetched: FirstPage;
    try {
      prefetched = await firstPage;
    } catch (error) {
      // The whole batch timed out or broke in transit (one slow collection holds up its batch): this listing is read
      // alone, with its own timeout and retries, as it would have been without the prefetch. A sub-request's own
      // answer (a 403, a 5xx after its retries, a throttle that postpones) is the listing's, as alone.
      if (isExchangeFailure(error)) return listCollection(this.client, url);
      throw error;
    }
    const { listedAt, page } = prefetched;
    if (!isPlainObject(page) || !Array.isArray(page.value)) throw new GraphError({ code: SafeErrorCode.GraphInvalidResponse });
    const items = page.value as GraphObject[];
    const next = page['@odata.nextLink'];
    if (typeof next === 'string') items.push(...(await this.client.listAll<GraphObject>(next)));
    return { listedAt, items };
  }
}
