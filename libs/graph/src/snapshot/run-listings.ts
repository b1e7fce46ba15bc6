import { SafeErrorCode } from '@policyvault/contracts';
import { getPolicyTypeContract, isSharedCollection } from '../contracts/policy-type-contracts.js';
import { GraphError } from '../errors/graph-error.js';
import { isPlainObject } from '../contracts/strip-for-write.js';
import type { GraphClient } from '../client/graph-client.js';
import { SharedReads } from '../client/shared-reads.js';
import { firstReadsFor, listCollection, type CollectionListing, type ListPoliciesOptions } from './policy-reader.js';

type GraphObject = Record<string, unknown>;

/** A Graph call that got no answer at all: it timed out, or the connection failed. */
const isExchangeFailure = (error: unknown) => error instanceof GraphError && (error.code === SafeErrorCode.GraphTimeout || error.code === SafeErrorCode.GraphNetworkError);

/** A prefetched first read (a collection's first page, or a singleton's object), and when its read began. */
interface FirstPage {
  listedAt: Date;
  page: unknown;
}

/**
 * A run's listings of collections (`ListPoliciesOptions.listings`), by URL:
 * - a collection several types list (the enrollment configurations) is listed once for all of them (a failed listing
 *   is forgotten, so the next type lists it again);
 * - `prefetch` reads what the run's types are listed from first together (`firstReadsFor`: each collection's first
 *   page, the tenant's one object of a singleton type, the parents of a nested type), in `$batch` calls (20
 *   sub-requests each, per API version), instead of an HTTP exchange per read. Each sub-request costs the
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
   * Starts reading the first pages of these types' collections (as `listPolicies` asks for them with `options`), and
   * their singletons' objects and nested types' parents. Returns at once; each listing then waits for its page. A read
   * alone in its API version is left to its own request (a batch of one saves nothing).
   */
  prefetch(types: Iterable<string>, options: Pick<ListPoliciesOptions, 'expandAssignments'> & { pageSize?: number } = {}): void {
    const byVersion = new Map<'beta' | 'v1.0', Set<string>>();
    for (const type of types) {
      const lookup = getPolicyTypeContract(type);
      if (!lookup.supported) continue;
      const version = lookup.contract.apiVersion;
      for (const url of firstReadsFor(lookup.contract, options.pageSize, options)) {
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

  /**
   * A tenant's one object of a singleton type (as `listPolicies` reads it), from the prefetch when it read it (the time
   * its read began), else read alone; as with `list`, a prefetch that got no answer at all leaves it to its own request.
   */
  async object(url: string): Promise<{ listedAt: Date; object: GraphObject }> {
    const prefetched = await this.takePrefetched(url);
    if (!prefetched) return { listedAt: new Date(), object: await this.client.get<GraphObject>(url) };
    if (!isPlainObject(prefetched.page)) throw new GraphError({ code: SafeErrorCode.GraphInvalidResponse });
    return { listedAt: prefetched.listedAt, object: prefetched.page };
  }

  /** A collection's listing (every page): once per run for a shared collection, from its first page when prefetched. */
  list(url: string): Promise<CollectionListing> {
    return isSharedCollection(url.split('?')[0]) ? this.shared.get(url) : this.read(url);
  }

  /**
   * The prefetched answer for `url`, taken once; undefined when none was prefetched, or when the whole batch timed out
   * or broke in transit (one slow read holds up its batch): the read is then made alone, with its own timeout and
   * retries, as it would have been without the prefetch. A sub-request's own answer (a 403, a 5xx after its retries,
   * a throttle that postpones) is the read's, as alone: it is thrown.
   */
  private async takePrefetched(url: string): Promise<FirstPage | undefined> {
    const firstPage = this.firstPages.get(url);
    if (!firstPage) return undefined;
    this.firstPages.delete(url);
    try {
      return await firstPage;
    } catch (error) {
      if (isExchangeFailure(error)) return undefined;
      throw error;
    }
  }

  private async read(url: string): Promise<CollectionListing> {
    const prefetched = await this.takePrefetched(url);
    if (!prefetched) return listCollection(this.client, url);
    const { listedAt, page } = prefetched;
    if (!isPlainObject(page) || !Array.isArray(page.value)) throw new GraphError({ code: SafeErrorCode.GraphInvalidResponse });
    const items = page.value as GraphObject[];
    const next = page['@odata.nextLink'];
    if (typeof next === 'string') items.push(...(await this.client.listAll<GraphObject>(next)));
    return { listedAt, items };
  }
}
