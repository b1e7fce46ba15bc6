import { SafeErrorCode } from '@policyvault/contracts';
import { getPolicyTypeContract, isSharedCollection } from '../contracts/policy-type-contracts.js';
import { GraphError } from '../errors/graph-error.js';
import { isPlainObject } from '../contracts/strip-for-write.js';
import type { GraphClient } from '../client/graph-client.js';
import { SharedReads } from '../client/shared-reads.js';
import { collectionListingsFor, listCollection, type CollectionListing, type ListPoliciesOptions } from './policy-reader.js';

type GraphObject = Record<string, unknown>;

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
 *   errors), so a listing taken from it is the listing `listPolicies` would read. Later pages follow `@odata.nextLink`.
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
    const { listedAt, page } = await firstPage;
    if (!isPlainObject(page) || !Array.isArray(page.value)) throw new GraphError({ code: SafeErrorCode.GraphInvalidResponse });
    const items = page.value as GraphObject[];
    const next = page['@odata.nextLink'];
    if (typeof next === 'string') items.push(...(await this.client.listAll<GraphObject>(next)));
    return { listedAt, items };
  }
}
