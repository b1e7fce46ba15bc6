import { jest } from '@jest/globals';
import { SafeErrorCode } from '@policyvault/contracts';
import { GraphError, TenantThrottledError } from '../errors/graph-error.js';
import type { GraphHttpResponse } from '../http/graph-http.js';
import { DEFAULT_THROTTLE_BACKOFF, type ThrottleBackoffOptions } from '../http/throttle-retry.js';
import { HttpGraphClient, type HttpGraphClientSettings } from './http-graph-client.js';
import { DEFAULT_BREAKER, TenantContext } from './tenant-context.js';

type Answer = { status: number; body?: unknown; headers?: Record<string, string> };
type Sent = { method: string; url: string; at: number; body?: unknown };

const BASE = 'https://graph.test';
const throttleOptions: ThrottleBackoffOptions = { baseDelayMs: 1000, maxDelayMs: 20_000, readBudgetMs: 60_000, writeBudgetMs: 300_000 };
const throttled = (retryAfter?: string): Answer => ({
  status: 429,
  body: { error: { code: 'TooManyRequests' } },
  headers: retryAfter === undefined ? {} : { 'Retry-After': retryAfter },
});
const ok = (body: unknown = { value: [] }): Answer => ({ status: 200, body });

/** What the client reads of a scripted answer (header names in any case, as Graph's). */
const answered = (answer: Answer): GraphHttpResponse => {
  const headers = new Map(Object.entries(answer.headers ?? {}).map(([name, value]) => [name.toLowerCase(), value]));
  return { status: answer.status, header: (name) => headers.get(name), text: answer.body === undefined ? '' : JSON.stringify(answer.body) };
};

/**
 * A client whose HTTP answers from a script, whose clock only moves when it sleeps, and whose dice
 * are fixed: every wait it chooses is visible and exact.
 */
function harness(answers: (sent: Sent) => Answer, settings: Partial<HttpGraphClientSettings> = {}) {
  let clock = 1_000_000;
  const now = () => clock;
  const sleeps: number[] = [];
  const sent: Sent[] = [];
  const context = new TenantContext('tenant.test', { getToken: async () => 'token' }, false, 4, { ...DEFAULT_BREAKER, volumeThreshold: 1000 }, now);
  const client = new HttpGraphClient(context, {
    send: async ({ method, url, body }) => {
      const request: Sent = { method, url, at: clock, body: body ? JSON.parse(body) : undefined };
      sent.push(request);
      return answered(answers(request));
    },
    graphBaseUrl: BASE,
    readOnly: false,
    requestTimeoutMs: 1000,
    maxAttempts: 3,
    backoff: { baseDelayMs: 100, maxDelayMs: 1000 },
    throttle: throttleOptions,
    sleep: async (ms) => {
      sleeps.push(ms);
      clock += ms;
    },
    now,
    random: () => 0.5,
    ...settings,
  });
  return { client, context, sleeps, sent, now, blockedUntil: [] as number[] };
}

/** Answers `first` for the first `count` requests, then `then`. */
const sequence = (count: number, first: Answer, then: Answer) => {
  let calls = 0;
  return () => ((calls += 1) <= count ? first : then);
};

describe('HttpGraphClient throttling', () => {
  afterEach(() => jest.restoreAllMocks());

  it('waits out 429s without Retry-After with full-jitter exponential waits, beyond maxAttempts, then succeeds', async () => {
    const { client, sleeps, sent } = harness(sequence(6, throttled(), ok({ value: [1] })));
    await expect(client.get('/beta/deviceManagement/deviceConfigurations')).resolves.toEqual({ value: [1] });
    // Dice at 0.5: half of each ceiling (1 s, 2 s, 4 s, 8 s, 16 s, then the 20 s window).
    expect(sleeps).toEqual([500, 1000, 2000, 4000, 8000, 10_000]);
    expect(sent).toHaveLength(7);
  });

  it('pauses the whole tenant for the chosen wait, not just the throttled request', async () => {
    const { client, context, now } = harness(sequence(1, throttled(), ok()));
    const block = jest.spyOn(context.pacer, 'blockUntil');
    const start = now();
    await client.get('/beta/deviceManagement/deviceConfigurations');
    expect(block).toHaveBeenCalledWith(start + 500);
    expect(context.pacer.blockedUntilMs).toBe(start + 500);
  });

  it('honours Retry-After when Graph sends it, and pauses the tenant for exactly that long', async () => {
    const { client, context, sleeps, now } = harness(sequence(2, throttled('7'), ok()));
    const start = now();
    await client.get('/beta/deviceManagement/deviceConfigurations');
    expect(sleeps).toEqual([7000, 7000]);
    expect(context.pacer.blockedUntilMs).toBe(start + 14_000);
  });

  it('postpones a write (TenantThrottledError, one window) once its throttle budget is spent, never failing it', async () => {
    const { client, sleeps, sent } = harness(() => throttled(), { random: () => 0.999_999 });
    const attempt = client.request({ method: 'POST', path: '/beta/deviceManagement/deviceConfigurations', body: { displayName: 'x' } });
    await expect(attempt).rejects.toBeInstanceOf(TenantThrottledError);
    await attempt.catch((error: GraphError) => {
      expect(error.code).toBe(SafeErrorCode.TenantUnavailable);
      expect(error.retryAfterSeconds).toBe(20);
    });
    // Waited the whole write budget (5 min), never more; each wait at most one window.
    expect(sleeps.reduce((sum, ms) => sum + ms, 0)).toBe(throttleOptions.writeBudgetMs);
    expect(Math.max(...sleeps)).toBeLessThanOrEqual(20_000);
    expect(sent.length).toBe(sleeps.length + 1);
  });

  it('gives reads the shorter read budget', async () => {
    const { client, sleeps } = harness(() => throttled(), { random: () => 0.999_999 });
    await expect(client.get('/beta/deviceManagement/deviceConfigurations')).rejects.toBeInstanceOf(TenantThrottledError);
    expect(sleeps.reduce((sum, ms) => sum + ms, 0)).toBe(throttleOptions.readBudgetMs);
  });

  it('postpones at once when Retry-After asks for more than is left of the budget', async () => {
    const { client, sleeps } = harness(() => throttled('3600'));
    await expect(client.get('/beta/deviceManagement/deviceConfigurations')).rejects.toMatchObject({ name: 'TenantThrottledError', retryAfterSeconds: 3600 });
    expect(sleeps).toEqual([]);
  });

  it('keeps 503s without Retry-After bounded by maxAttempts, with throttle waits in between', async () => {
    const { client, sleeps } = harness(() => ({ status: 503, body: { error: { code: 'ServiceUnavailable' } } }));
    await expect(client.get('/beta/deviceManagement/deviceConfigurations')).rejects.toMatchObject({ code: SafeErrorCode.GraphUnavailable, httpStatus: 503 });
    expect(sleeps).toEqual([500, 1000]);
  });

  it('retries throttled $batch sub-requests with the same backoff and pause, keeping the others', async () => {
    let round = 0;
    const { client, context, sleeps, sent, now } = harness((request) => {
      round += 1;
      const requests = (request.body as { requests: Array<{ id: string }> }).requests;
      return ok({
        responses: requests.map(({ id }) => {
          if (id === 'missing') return { id, status: 404, body: { error: { code: 'ResourceNotFound' } } };
          if (id === 'busy' && round <= 2) return { id, status: 429, headers: {}, body: { error: { code: 'TooManyRequests' } } };
          return { id, status: 200, body: { id } };
        }),
      });
    });
    const start = now();
    const results = await client.batch('beta', [
      { id: 'fine', method: 'GET', url: '/deviceManagement/deviceConfigurations/a' },
      { id: 'busy', method: 'GET', url: '/deviceManagement/deviceConfigurations/b' },
      { id: 'missing', method: 'GET', url: '/deviceManagement/deviceConfigurations/c' },
    ]);
    expect(results.map((result) => [result.id, result.ok])).toEqual([
      ['fine', true],
      ['busy', true],
      ['missing', false],
    ]);
    expect(sleeps).toEqual([500, 1000]);
    expect(context.pacer.blockedUntilMs).toBe(start + 1500);
    expect(sent.map((request) => (request.body as { requests: unknown[] }).requests.length)).toEqual([3, 1, 1]);
  });

  it('postpones throttled $batch sub-requests once the budget is spent; other failures keep their own error', async () => {
    const { client } = harness(
      (request) =>
        ok({
          responses: (request.body as { requests: Array<{ id: string }> }).requests.map(({ id }) =>
            id === 'busy' ? { id, status: 429, body: { error: { code: 'TooManyRequests' } } } : { id, status: 500, body: { error: { code: 'InternalServerError' } } },
          ),
        }),
      { random: () => 0.999_999, maxAttempts: 100 },
    );
    const results = await client.batch('beta', [
      { id: 'busy', method: 'GET', url: '/deviceManagement/deviceConfigurations/b' },
      { id: 'broken', method: 'GET', url: '/deviceManagement/deviceConfigurations/c' },
    ]);
    const [busy, broken] = results;
    if (busy.ok || broken.ok) throw new Error('expected both to fail');
    expect(busy.error).toBeInstanceOf(TenantThrottledError);
    expect(broken.error).not.toBeInstanceOf(TenantThrottledError);
    expect(broken.error.code).toBe(SafeErrorCode.GraphUnavailable);
  });

  it('uses the documented defaults: 1 s first ceiling, one Intune window per wait, 2 min reads, 5 min writes', () => {
    expect(DEFAULT_THROTTLE_BACKOFF).toEqual({ baseDelayMs: 1000, maxDelayMs: 20_000, readBudgetMs: 120_000, writeBudgetMs: 300_000 });
  });
});

/** A client's settings whose waits are timers (real, or jest's fake ones) and whose clock is `Date.now`. */
const timerSettings = (send: HttpGraphClientSettings['send'], overrides: Partial<HttpGraphClientSettings> = {}): HttpGraphClientSettings => ({
  send,
  graphBaseUrl: BASE,
  readOnly: false,
  requestTimeoutMs: 1000,
  maxAttempts: 3,
  backoff: { baseDelayMs: 10, maxDelayMs: 10 },
  throttle: throttleOptions,
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
  now: Date.now,
  random: () => 0.5,
  ...overrides,
});

describe('the tenant pause (real time)', () => {
  afterEach(() => jest.restoreAllMocks());

  it('holds another request of the tenant until the backoff wait of a 429 without Retry-After has passed', async () => {
    const sent: Array<{ url: string; at: number }> = [];
    let first = true;
    const context = new TenantContext('tenant.test', { getToken: async () => 'token' }, false, 4, DEFAULT_BREAKER);
    const client = new HttpGraphClient(
      context,
      timerSettings(
        async ({ url }) => {
          sent.push({ url, at: Date.now() });
          if (url.endsWith('/a') && first) {
            first = false;
            return answered({ status: 429, body: { error: { code: 'TooManyRequests' } } });
          }
          return answered(ok());
        },
        { throttle: { ...throttleOptions, baseDelayMs: 300 }, random: () => 0.999_999 },
      ),
    );
    try {
      const throttledRead = client.get('/beta/a');
      await new Promise((resolve) => setTimeout(resolve, 30));
      const throttledAt = sent[0].at;
      await Promise.all([throttledRead, client.get('/beta/b')]);
      const other = sent.find((request) => request.url.endsWith('/b'));
      // The 429 paused the tenant for ~300 ms: /b was held although it was never throttled itself.
      expect(other?.at).toBeGreaterThanOrEqual(throttledAt + 290);
    } finally {
      context.shutdown();
    }
  });
});

describe('HttpGraphClient.withPriority', () => {
  beforeEach(() => jest.useFakeTimers({ now: 1_000_000 }));
  afterEach(() => jest.useRealTimers());

  it('sends the tenant’s waiting requests of a lower priority number first, sharing the tenant’s budget', async () => {
    const sent: string[] = [];
    // One request a second, one at a time: whatever waits is sent in the pacer's order.
    const pacing = { requestsPerWindow: 20, writesPerWindow: 20, windowSeconds: 20, utilization: 1, burst: 1 };
    const context = new TenantContext('tenant.test', { getToken: async () => 'token' }, pacing, 1, DEFAULT_BREAKER, Date.now);
    const client = new HttpGraphClient(
      context,
      timerSettings(async ({ url }) => {
        sent.push(new URL(url).pathname);
        return answered(ok());
      }),
    );
    try {
      const laterChunk = client.withPriority(2);
      const earlierChunk = client.withPriority(1);
      const reads = [laterChunk.get('/beta/first'), laterChunk.get('/beta/later-1'), laterChunk.get('/beta/later-2'), earlierChunk.get('/beta/earlier'), client.get('/beta/listing')];
      await jest.advanceTimersByTimeAsync(10_000);
      await Promise.all(reads);
      // The first went at once; of those that waited, the default priority (0) first, then chunk 1, then chunk 2 in order.
      expect(sent).toEqual(['/beta/first', '/beta/listing', '/beta/earlier', '/beta/later-1', '/beta/later-2']);
      expect(earlierChunk.tenantId).toBe(client.tenantId);
    } finally {
      context.shutdown();
    }
  });
});
