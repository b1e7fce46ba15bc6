import { badRequest, failedDependency, type GraphAnswer } from './graph-errors.js';

export interface BatchItem {
  id: string;
  method: string;
  url: string;
  body?: unknown;
  dependsOn: string[];
}

const MAX_BATCH_REQUESTS = 20;

/** Checks a `$batch` payload as Graph does: 1..20 requests, unique ids, `dependsOn` naming earlier requests only. */
export function parseBatch(body: unknown): BatchItem[] | GraphAnswer {
  const requests = (body as { requests?: unknown } | undefined)?.requests;
  if (!Array.isArray(requests) || requests.length === 0) return badRequest('Invalid batch payload: "requests" must be a non-empty array.');
  if (requests.length > MAX_BATCH_REQUESTS) return badRequest(`Number of batch requests exceeds the maximum of ${MAX_BATCH_REQUESTS}.`);
  const seen = new Set<string>();
  const items: BatchItem[] = [];
  for (const request of requests as Array<Record<string, unknown>>) {
    const id = request.id === undefined || request.id === null ? '' : String(request.id);
    if (!id) return badRequest('Every batch request needs an "id".');
    if (seen.has(id)) return badRequest(`Batch request ids must be unique; '${id}' appears more than once.`);
    const dependsOn = Array.isArray(request.dependsOn) ? request.dependsOn.map(String) : [];
    const unknown = dependsOn.find((dependency) => !seen.has(dependency));
    if (unknown) return badRequest(`Batch request '${id}' depends on '${unknown}', which is not an earlier request of this batch.`);
    seen.add(id);
    items.push({ id, method: String(request.method ?? 'GET').toUpperCase(), url: String(request.url ?? ''), body: request.body, dependsOn });
  }
  return items;
}

/**
 * Runs the items in order; an item whose dependency did not succeed (not 2xx) is not executed and answers 424.
 * `execute` throttles, runs and journals one item.
 */
export function runBatch(items: BatchItem[], execute: (item: BatchItem) => GraphAnswer, skipped: (item: BatchItem, answer: GraphAnswer) => void): GraphAnswer {
  const statuses = new Map<string, number>();
  const responses = items.map((item) => {
    const failed = item.dependsOn.find((dependency) => (statuses.get(dependency) ?? 0) >= 300 || (statuses.get(dependency) ?? 0) < 200);
    let answer: GraphAnswer;
    if (failed !== undefined) {
      answer = failedDependency(failed);
      skipped(item, answer);
    } else {
      answer = execute(item);
    }
    statuses.set(item.id, answer.status);
    return { id: item.id, status: answer.status, headers: { 'Content-Type': 'application/json', ...answer.headers }, body: answer.body ?? null };
  });
  return { status: 200, body: { responses } };
}
