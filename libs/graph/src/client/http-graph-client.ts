import { SafeErrorCode } from '@policyvault/contracts';
import { inSpan, tracingActive, type Span } from '@policyvault/platform';
import { applicationPermissionsOfToken } from '../contracts/graph-permissions.js';
import { GraphError, ReadOnlyViolationError, TenantThrottledError, TenantUnavailableError, isTransientStatus, safeCodeForStatus } from '../errors/graph-error.js';
import { computeBackoffMs, parseRetryAfter, type BackoffOptions } from '../http/backoff.js';
import type { GraphHttpResponse, GraphHttpSend } from '../http/graph-http.js';
import { ThrottleRetry, type ThrottleBackoffOptions } from '../http/throttle-retry.js';
import type { BatchItemResult, BatchRequestItem, CircuitState, GraphClient, GraphMethod, GraphRequest, GraphResponse } from './graph-client.js';
import type { TenantContext } from './tenant-context.js';
import { graphRequestSpan } from './graph-request-span.js';
import { graphPostponed, graphRequestDuration, graphRequests, graphRetries, graphThrottled, statusClass } from '../metrics/graph.metrics.js';

export const MAX_BATCH_SIZE = 20;

export interface HttpGraphClientSettings {
  graphBaseUrl: string;
  readOnly: boolean;
  requestTimeoutMs: number;
  /** Attempts per request for failures other than 429 (429s are bounded by the throttle budget instead). */
  maxAttempts: number;
  backoff: BackoffOptions;
  throttle: ThrottleBackoffOptions;
  sleep: (ms: number) => Promise<void>;
  now: () => number;
  random: () => number;
  /** The HTTP exchange itself (undici's in service; a script in tests). */
  send: GraphHttpSend;
  /** This client's place among the tenant's waiting requests (`GraphClient.withPriority`); 0 when not given. */
  priority?: number;
}

interface ExecuteOptions {
  /** Requests this call costs against the tenant's budget (a `$batch` costs one per sub-request). */
  cost: number;
  write: boolean;
  /** Safe to resend after a timeout or a 5xx (GET, PUT, PATCH, DELETE; not a create). */
  idempotent: boolean;
  /**
   * A `$batch` whose every sub-request answered 5xx fails as a whole (the breaker sees a failing tenant).
   * Only for a batch's first round: a retry round holds just the sub-requests that failed before, so
   * all of them failing again says nothing about the tenant.
   */
  batchHealthCheck?: boolean;
}

/** Graph's "slow down" answers: waited out with Retry-After or the throttle backoff, pausing the whole tenant. */
const isThrottleStatus = (status: number | undefined) => status === 429 || status === 503;

const isBreakerRejection = (error: unknown) => {
  const code = (error as { code?: unknown })?.code;
  return code === 'EOPENBREAKER' || code === 'ESHUTDOWN';
};

export class HttpGraphClient implements GraphClient {
  readonly tenantId: string;
  readonly readOnly: boolean;
  readonly graphBaseUrl: string;
  private readonly baseUrl: string;

  constructor(
    private readonly context: TenantContext,
    private readonly settings: HttpGraphClientSettings,
  ) {
    this.tenantId = context.tenantId;
    this.readOnly = settings.readOnly;
    this.baseUrl = settings.graphBaseUrl.replace(/\/+$/, '');
    this.graphBaseUrl = this.baseUrl;
  }

  circuitState(): CircuitState {
    return this.context.state();
  }

  withPriority(priority: number): GraphClient {
    return new HttpGraphClient(this.context, { ...this.settings, priority });
  }

  async grantedApplicationPermissions(): Promise<string[]> {
    return applicationPermissionsOfToken(await this.context.tokenProvider.getToken(true));
  }

  async request<T = unknown>(request: GraphRequest): Promise<GraphResponse<T>> {
    if (this.readOnly && request.method !== 'GET') throw new ReadOnlyViolationError(request.method);
    const url = this.resolveUrl(request.path);
    const write = request.method !== 'GET';
    return this.execute<T>(request.method, url, request.body, { cost: 1, write, idempotent: request.method !== 'POST' });
  }

  async get<T = unknown>(path: string): Promise<T> {
    return (await this.request<T>({ method: 'GET', path })).body;
  }

  async listAll<T = Record<string, unknown>>(path: string): Promise<T[]> {
    const items: T[] = [];
    let next: string | undefined = path;
    while (next) {
      const page: CollectionPage<T> = await this.get<CollectionPage<T>>(next);
      if (!page || !Array.isArray(page.value)) throw new GraphError({ code: SafeErrorCode.GraphInvalidResponse });
      items.push(...page.value);
      next = typeof page['@odata.nextLink'] === 'string' ? page['@odata.nextLink'] : undefined;
    }
    return items;
  }

  async batch(apiVersion: 'beta' | 'v1.0', requests: BatchRequestItem[]): Promise<BatchItemResult[]> {
    const write = requests.find((item) => item.method !== 'GET');
    if (this.readOnly && write) throw new ReadOnlyViolationError(write.method);
    const chunks: BatchRequestItem[][] = [];
    for (let index = 0; index < requests.length; index += MAX_BATCH_SIZE) chunks.push(requests.slice(index, index + MAX_BATCH_SIZE));
    const settled = await Promise.allSettled(chunks.map((chunk) => this.batchChunk(apiVersion, chunk)));
    const results: BatchItemResult[] = [];
    settled.forEach((outcome, index) => {
      if (outcome.status === 'fulfilled') results.push(...outcome.value);
      else results.push(...chunks[index].map((item) => ({ id: item.id, ok: false as const, error: chunkFailure(outcome.reason) })));
    });
    // The whole call fails only when no chunk got through (the tenant is not answering) or the breaker
    // opened: then the caller postpones. A chunk that failed while others were answered (e.g. its only
    // sub-requests are one object's, answering 5xx) fails just its own items.
    const failures = settled.filter((outcome): outcome is PromiseRejectedResult => outcome.status === 'rejected').map((outcome) => outcome.reason as unknown);
    const fatal = failures.find((reason) => !(reason instanceof GraphError) || reason instanceof TenantUnavailableError || reason instanceof ReadOnlyViolationError);
    if (fatal !== undefined) throw fatal;
    if (failures.length > 0 && failures.length === chunks.length) throw failures[0];
    const byId = new Map(results.map((result) => [result.id, result]));
    return requests.map((item) => byId.get(item.id) ?? { id: item.id, ok: false, error: new GraphError({ code: SafeErrorCode.GraphInvalidResponse }) });
  }

  private async batchChunk(apiVersion: string, chunk: BatchRequestItem[]): Promise<BatchItemResult[]> {
    const results: BatchItemResult[] = [];
    let pending = chunk;
    // Each sub-request's latest answer (what it fails with when its retries run out) and its failures
    // other than 429 (bounded by maxAttempts; 429s are bounded by the chunk's throttle budget).
    const lastErrors = new Map<string, GraphError>();
    const failures = new Map<string, number>();
    const throttle = this.throttleRetry(chunk.some((item) => item.method !== 'GET'));
    for (let round = 1; pending.length > 0; round += 1) {
      const body = {
        requests: pending.map((item) => ({
          id: item.id,
          method: item.method,
          url: item.url,
          ...(item.body !== undefined ? { body: item.body, headers: { 'Content-Type': 'application/json' } } : {}),
        })),
      };
      const allGets = pending.every((item) => item.method === 'GET');
      let response: GraphResponse<BatchResponseBody>;
      try {
        response = await this.execute<BatchResponseBody>('POST', `${this.baseUrl}/${apiVersion}/$batch`, body, {
          cost: pending.length,
          write: !allGets,
          idempotent: allGets,
          batchHealthCheck: round === 1,
        });
      } catch (error) {
        // A retry round that still fails as a whole (after execute's own retries): the sub-requests
        // it carried fail one by one, and the answers the earlier rounds got are kept. An open breaker
        // or a spent throttle budget still fails the call, so the caller postpones.
        if (round === 1 || !(error instanceof GraphError) || error instanceof TenantUnavailableError) throw error;
        for (const item of pending) results.push({ id: item.id, ok: false, error: lastErrors.get(item.id) ?? error });
        return results;
      }
      const byId = new Map((response.body.responses ?? []).map((sub) => [String(sub.id), sub]));
      const retry: BatchRequestItem[] = [];
      let throttledRetryAfter: number | undefined;
      let throttled = false;
      let slowedDown = false;
      for (const item of pending) {
        const sub = byId.get(item.id);
        if (!sub) {
          results.push({ id: item.id, ok: false, error: new GraphError({ code: SafeErrorCode.GraphInvalidResponse }) });
          continue;
        }
        if (sub.status >= 200 && sub.status < 300) {
          results.push({ id: item.id, ok: true, status: sub.status, body: sub.body });
          continue;
        }
        const error = errorFromBody(sub.status, sub.body, headerValue(sub.headers, 'retry-after'), headerValue(sub.headers, 'request-id'));
        const retryable = error.transient && (item.method !== 'POST' || isThrottleStatus(sub.status));
        if (sub.status === 429) graphThrottled.inc({ kind: 'batch_item' });
        const failed = sub.status === 429 ? 0 : (failures.get(item.id) ?? 0) + 1;
        failures.set(item.id, failed);
        if (retryable && failed < this.settings.maxAttempts) {
          retry.push(item);
          lastErrors.set(item.id, error);
          if (sub.status === 429) throttled = true;
          if (isThrottleStatus(sub.status)) {
            slowedDown = true;
            if (error.retryAfterSeconds !== undefined) throttledRetryAfter = Math.max(throttledRetryAfter ?? 0, error.retryAfterSeconds);
          }
        } else {
          results.push({ id: item.id, ok: false, error });
        }
      }
      if (retry.length > 0) {
        let delayMs: number;
        if (slowedDown) {
          if (throttled) this.context.pacer.onThrottled();
          const next = throttle.next(throttledRetryAfter);
          if (!next.wait) {
            graphPostponed.inc({ budget: chunk.some((item) => item.method !== 'GET') ? 'write' : 'read' });
            // The throttle budget is spent: what Graph throttled is postponed, not failed.
            const postponed = new TenantThrottledError(next.postponeSeconds);
            for (const item of retry) {
              const last = lastErrors.get(item.id);
              results.push({ id: item.id, ok: false, error: last && !isThrottleStatus(last.httpStatus) ? last : postponed });
            }
            return results;
          }
          delayMs = next.delayMs;
          this.context.pacer.blockUntil(this.settings.now() + delayMs);
        } else {
          delayMs = computeBackoffMs(Math.max(...retry.map((item) => failures.get(item.id) ?? 1)), this.settings.backoff, this.settings.random);
        }
        graphRetries.inc({ reason: slowedDown ? 'throttled' : 'transient' });
        await this.settings.sleep(delayMs);
      }
      pending = retry;
    }
    return results;
  }

  private execute<T>(method: GraphMethod, url: string, body: unknown, options: ExecuteOptions): Promise<GraphResponse<T>> {
    if (!tracingActive()) return this.executeWithRetries<T>(method, url, body, options);
    const { name, settings } = graphRequestSpan(method, url, this.tenantId);
    return inSpan(name, settings, (span) => this.executeWithRetries<T>(method, url, body, options, span));
  }

  private async executeWithRetries<T>(method: GraphMethod, url: string, body: unknown, options: ExecuteOptions, span?: Span): Promise<GraphResponse<T>> {
    let failures = 0;
    let resends = 0;
    let throttle: ThrottleRetry | undefined;
    for (;;) {
      try {
        const priority = this.settings.priority ?? 0;
        const response = await this.context.semaphore.run(async () => {
          await this.context.pacer.acquire(options.cost, options.write, priority);
          return (await this.context.breaker.fire(() => this.sendOnce(method, url, body, options))) as GraphResponse<T>;
        }, priority);
        this.context.pacer.onSuccess(options.cost);
        span?.setAttribute('http.response.status_code', response.status);
        return response;
      } catch (caught) {
        if (isBreakerRejection(caught)) throw new TenantUnavailableError(this.context.retryAfterSeconds());
        const error = caught instanceof GraphError ? caught : new GraphError({ code: SafeErrorCode.Internal });
        if (error.httpStatus !== undefined) span?.setAttribute('http.response.status_code', error.httpStatus);
        const slowDown = isThrottleStatus(error.httpStatus);
        const retryable = error.transient && (options.idempotent || slowDown);
        if (!retryable) throw error;
        // 429s are bounded by the throttle budget alone; every other failure (503 included) by maxAttempts.
        if (error.httpStatus !== 429 && (failures += 1) >= this.settings.maxAttempts) throw error;
        let delayMs: number;
        if (slowDown) {
          if (error.httpStatus === 429) this.context.pacer.onThrottled();
          throttle ??= this.throttleRetry(options.write);
          const next = throttle.next(error.retryAfterSeconds);
          if (!next.wait) {
            graphPostponed.inc({ budget: options.write ? 'write' : 'read' });
            throw new TenantThrottledError(next.postponeSeconds);
          }
          delayMs = next.delayMs;
          // Throttling applies to the tenant, not just this request: hold every queued request too,
          // whether Graph said how long (Retry-After) or not (the backoff's wait).
          this.context.pacer.blockUntil(this.settings.now() + delayMs);
        } else {
          delayMs = computeBackoffMs(failures, this.settings.backoff, this.settings.random);
        }
        span?.setAttribute('http.request.resend_count', (resends += 1));
        graphRetries.inc({ reason: slowDown ? 'throttled' : 'transient' });
        await this.settings.sleep(delayMs);
      }
    }
  }

  private throttleRetry(write: boolean): ThrottleRetry {
    const { throttle, now, random } = this.settings;
    return new ThrottleRetry(throttle, write ? throttle.writeBudgetMs : throttle.readBudgetMs, now, random);
  }

  private async sendOnce<T>(method: GraphMethod, url: string, body: unknown, options: ExecuteOptions, tokenRefreshed = false): Promise<GraphResponse<T>> {
    const token = await this.context.tokenProvider.getToken(tokenRefreshed);
    let response: GraphHttpResponse;
    const kind = url.endsWith('/$batch') ? 'batch' : 'request';
    const done = graphRequestDuration.startTimer();
    try {
      response = await this.settings.send({
        method,
        url,
        headers: {
          authorization: `Bearer ${token}`,
          accept: 'application/json',
          ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
        },
        body: body !== undefined ? JSON.stringify(body) : undefined,
        timeoutMs: this.settings.requestTimeoutMs,
      });
    } catch (error) {
      // Never keep the underlying error: undici's messages can echo the request.
      const name = (error as { name?: unknown })?.name;
      const timedOut = name === 'TimeoutError' || name === 'AbortError';
      done({ method, kind });
      graphRequests.inc({ method, kind, status_class: timedOut ? 'timeout' : 'network' });
      throw new GraphError({ code: timedOut ? SafeErrorCode.GraphTimeout : SafeErrorCode.GraphNetworkError, transient: true });
    }
    const { status, text } = response;
    done({ method, kind });
    graphRequests.inc({ method, kind, status_class: statusClass(status) });
    if (status === 429) graphThrottled.inc({ kind: 'request' });
    const requestId = response.header('request-id') ?? response.header('client-request-id');
    let parsed: unknown;
    let parseFailed = false;
    if (text.length > 0) {
      try {
        parsed = JSON.parse(text);
      } catch {
        parseFailed = true;
      }
    }
    if (status === 401 && !tokenRefreshed) return this.sendOnce<T>(method, url, body, options, true);
    if (status < 200 || status >= 300) throw errorFromBody(status, parsed, response.header('retry-after'), requestId);
    if (parseFailed) throw new GraphError({ code: SafeErrorCode.GraphInvalidResponse, httpStatus: status, requestId, transient: true });
    if (url.endsWith('/$batch')) assertBatchHealthy(parsed, options.cost, options.batchHealthCheck ?? true);
    return { status, body: parsed as T, requestId };
  }

  /** Paths are relative to the Graph base; absolute URLs (nextLink) must point at the same Graph. */
  private resolveUrl(path: string): string {
    if (/^https?:\/\//i.test(path)) {
      if (new URL(path).origin !== new URL(this.baseUrl).origin) throw new GraphError({ code: SafeErrorCode.GraphInvalidResponse });
      return path;
    }
    return `${this.baseUrl}${path.startsWith('/') ? '' : '/'}${path}`;
  }
}

interface CollectionPage<T> {
  value: T[];
  '@odata.nextLink'?: string;
}

interface BatchSubResponse {
  id: string;
  status: number;
  headers?: Record<string, string>;
  body?: unknown;
}

interface BatchResponseBody {
  responses?: BatchSubResponse[];
}

function headerValue(headers: Record<string, string> | undefined, name: string): string | undefined {
  if (!headers) return undefined;
  const key = Object.keys(headers).find((candidate) => candidate.toLowerCase() === name);
  return key ? String(headers[key]) : undefined;
}

function errorFromBody(status: number, body: unknown, retryAfter: string | null | undefined, requestId: string | undefined): GraphError {
  const graphError = (body as { error?: { code?: unknown; innerError?: { 'request-id'?: unknown } } } | undefined)?.error;
  const innerRequestId = graphError?.innerError?.['request-id'];
  return new GraphError({
    code: safeCodeForStatus(status),
    httpStatus: status,
    graphErrorCode: typeof graphError?.code === 'string' ? graphError.code : undefined,
    requestId: requestId ?? (typeof innerRequestId === 'string' ? innerRequestId : undefined),
    retryAfterSeconds: parseRetryAfter(retryAfter),
    transient: isTransientStatus(status),
  });
}

/**
 * A batch whose every sub-request failed with a 5xx is a failing tenant: let the breaker see it (first
 * rounds only; see ExecuteOptions.batchHealthCheck). A body without `responses` is always invalid.
 */
function assertBatchHealthy(body: unknown, cost: number, checkHealth: boolean): void {
  const responses = (body as BatchResponseBody | undefined)?.responses;
  if (!Array.isArray(responses)) throw new GraphError({ code: SafeErrorCode.GraphInvalidResponse, transient: true });
  if (checkHealth && cost > 0 && responses.length > 0 && responses.every((sub) => sub.status >= 500)) {
    throw new GraphError({ code: SafeErrorCode.GraphUnavailable, httpStatus: 503, transient: true });
  }
}

/** The per-item error of a `$batch` chunk whose call failed as a whole while other chunks got through. */
function chunkFailure(reason: unknown): GraphError {
  return reason instanceof GraphError ? reason : new GraphError({ code: SafeErrorCode.Internal });
}
