// A GraphClient for unit tests: collections answered from a table of paths, `$batch` GETs by id from
// the same table; every request recorded so a test can assert what was (not) asked.
import { SafeErrorCode } from '@policyvault/contracts';
import { GraphError, type BatchItemResult, type BatchRequestItem, type GraphClient } from '@policyvault/graph';

type GraphObject = Record<string, unknown>;

export interface FakeGraph {
  client: GraphClient;
  /** Paths asked for (listings, batch sub-requests as `<version> <url>`, single GETs). */
  requests: string[];
}

/**
 * @param collections path (without version and query) → objects; a `GET {collection}/{id}` in a batch answers the
 *   object, `{collection}/{id}/assignments` its `assignments`.
 * @param queries full path with query → objects (e.g. `/v1.0/groups?$filter=…`).
 */
export function fakeGraph(collections: Record<string, GraphObject[]>, queries: Record<string, GraphObject[]> = {}): FakeGraph {
  const requests: string[] = [];
  const notFound = () => new GraphError({ code: SafeErrorCode.GraphNotFound, httpStatus: 404 });
  const collection = (path: string) => collections[path.split('?')[0].replace(/^\/(beta|v1\.0)\//, '/')];
  const client = {
    tenantId: 'fake',
    readOnly: true,
    async listAll<T>(path: string): Promise<T[]> {
      requests.push(path);
      const found = queries[path] ?? collection(path);
      if (!found) throw notFound();
      return found as T[];
    },
    async get(path: string) {
      requests.push(path);
      throw notFound();
    },
    async batch(version: string, items: BatchRequestItem[]): Promise<BatchItemResult[]> {
      return items.map((item) => {
        requests.push(`${version} ${item.url}`);
        const [path] = item.url.split('?');
        const segments = path.split('/');
        const relation = segments.length > 1 && collection(segments.slice(0, -2).join('/')) ? segments.pop() : undefined;
        const id = decodeURIComponent(segments.pop()!);
        const object = (collection(segments.join('/')) ?? []).find((candidate) => String(candidate.id) === id);
        if (!object) return { id: item.id, ok: false, error: notFound() };
        return { id: item.id, ok: true, status: 200, body: relation ? { value: object[relation] ?? [] } : object };
      });
    },
    circuitState: () => 'closed',
  };
  return { client: client as unknown as GraphClient, requests };
}
