// Property-based fuzzing of the gateway's HTTP API (issue 14): every operation of the OpenAPI document the
// running gateway serves gets hostile path parameters, queries, bodies and bearer tokens (expired, wrong
// signature, alg none, NUL in claims, garbage), with the whole system behind it (run-service, both workers,
// notifier, Graph emulator). For every request: no 5xx, no stack trace and no configured secret in the body.
import { randomBytes, randomUUID } from 'node:crypto';
import fc from 'fast-check';
import { SignJWT } from 'jose';
import { DEMO_GRAPH_APP } from '@policyvault/contracts';
import { DEVELOPMENT_TOKEN_AUDIENCE, DEVELOPMENT_TOKEN_ISSUER, developmentSigningKey, signDevelopmentToken } from '@policyvault/platform';
import { startGraphEmulator, type RunningGraphEmulator } from '@policyvault/graph-emulator';
import { CONTOSO, E2E_SIGNING_KEY, FABRIKAM, graphEmulatorEnv, startStack, type Stack } from '@policyvault/testing';
import { fuzzOperations, type FuzzRequest, type OpenApiDocument } from './fuzz/openapi-requests.js';

/** At least this many requests in total, spread evenly over the operations. */
const TOTAL_REQUESTS = 10_200;
/** Requests in flight per operation (every operation is fuzzed at once). */
const CHAINS_PER_OPERATION = 2;
const SEED = Number(process.env.FUZZ_SEED ?? Date.now() % 2 ** 31);
/** How undici reports a connection the server closed (reset, or ended mid-request). */
const CONNECTION_CLOSED = new Set(['ECONNRESET', 'EPIPE', 'UND_ERR_SOCKET', 'UND_ERR_CLOSED']);
const REQUEST_TIMEOUT_MS = 30_000;

const CLIENT_SECRET_CANARY = `pv-canary-client-secret-${randomUUID()}`;
const ENCRYPTION_KEY_CANARY = randomBytes(32).toString('base64');
// A stack frame (`at fn (file:line:col)`, `at file:line`), a source or build path, or a module path.
const STACK_TRACE = /\n\s+at |\bat [\w$.<>[\] ]+ \(|(?:file:\/\/|\/work\/|\/dist\/apps\/|node_modules\/|\/src\/)\S*\.[cm]?[jt]s\b|\.[cm]?[jt]s:\d+:\d+/;

interface Outcome {
  status: number;
  text: string;
}

describe('HTTP fuzzing: hostile requests on every route answer 4xx (or 2xx), never 5xx, a stack or a secret', () => {
  let emulator: RunningGraphEmulator;
  let stack: Stack;
  let tokens: fc.Arbitrary<string | undefined>;
  let secrets: string[];
  const statuses = new Map<number, number>();
  let sent = 0;

  beforeAll(async () => {
    emulator = await startGraphEmulator({ port: 0, apps: [{ clientId: DEMO_GRAPH_APP.clientId, clientSecret: CLIENT_SECRET_CANARY }] });
    stack = await startStack({
      services: ['run-service', 'capture-worker', 'restore-worker', 'notifier', 'gateway'],
      env: {
        ...graphEmulatorEnv(emulator.url),
        GRAPH_CLIENT_SECRET: CLIENT_SECRET_CANARY,
        SECRET_ENCRYPTION_KEYS: `fuzz:${ENCRYPTION_KEY_CANARY}`,
        SECRET_ENCRYPTION_ACTIVE_KEY: 'fuzz',
      },
    });
    secrets = [CLIENT_SECRET_CANARY, ENCRYPTION_KEY_CANARY, E2E_SIGNING_KEY, stack.database.url];
    tokens = await bearerTokens(stack);
  }, 120_000);

  afterAll(async () => {
    await stack?.close();
    await emulator?.close();
  });

  const send = async (request: FuzzRequest, authorization: string | undefined): Promise<Outcome> => {
    sent += 1;
    const headers: Record<string, string> = {};
    if (authorization !== undefined) headers.authorization = authorization;
    if (request.contentType) headers['content-type'] = request.contentType;
    const url = `${stack.gatewayUrl}${request.path}${request.query ? `?${request.query}` : ''}`;
    let response: Response;
    try {
      response = await fetch(url, { method: request.method, headers, body: request.body, redirect: 'manual', signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS) });
    } catch (error) {
      // The server may answer a request it refuses early (headers over Node's limit: 431; a body it will not read)
      // and close the connection while the client is still writing: the client then sees the close, not the
      // answer. A closed connection is no 5xx; it is counted (status 0) and bounded below. A timeout stays a failure.
      const code = (error as { cause?: { code?: string } }).cause?.code;
      if (!CONNECTION_CLOSED.has(code ?? '')) throw error;
      statuses.set(0, (statuses.get(0) ?? 0) + 1);
      return { status: 0, text: '' };
    }
    statuses.set(response.status, (statuses.get(response.status) ?? 0) + 1);
    if (response.headers.get('content-type')?.startsWith('text/event-stream')) {
      // A live stream stays open: its head is the answer.
      await response.body?.cancel();
      return { status: response.status, text: '' };
    }
    return { status: response.status, text: Buffer.from(await response.arrayBuffer()).toString('latin1') };
  };

  it('answers ≥ 10,000 hostile requests over every route of the OpenAPI document', async () => {
    const document = (await (await fetch(`${stack.gatewayUrl}/docs-json`)).json()) as OpenApiDocument;
    const operations = fuzzOperations(document, { tenantIds: [CONTOSO.id, FABRIKAM.id] });
    expect(operations.length).toBeGreaterThan(40);
    const runsPerChain = Math.ceil(TOTAL_REQUESTS / operations.length / CHAINS_PER_OPERATION);
    const started = Date.now();

    const failures = await Promise.all(
      operations.flatMap(({ route, request }, operationIndex) =>
        Array.from({ length: CHAINS_PER_OPERATION }, async (_, chain) => {
          const property = fc.asyncProperty(request, tokens, async (fuzzRequest, authorization) => {
            const { status, text } = await send(fuzzRequest, authorization);
            if (status >= 500) throw new Error(`${route}: ${status} ${text.slice(0, 300)}`);
            const trace = STACK_TRACE.exec(text);
            if (trace) throw new Error(`${route}: a stack trace or file path in the body (${trace[0]}): ${text.slice(0, 300)}`);
            const secret = secrets.find((value) => text.includes(value));
            if (secret) throw new Error(`${route}: a configured secret in the body`);
          });
          const details = await fc.check(property, { numRuns: runsPerChain, seed: SEED + operationIndex * 10 + chain, endOnFailure: true });
          return details.failed ? `${route} (seed ${details.seed}, path ${details.counterexamplePath}): ${String(details.errorInstance)}\n  ${JSON.stringify(details.counterexample)?.slice(0, 600)}` : null;
        }),
      ),
    );

    const seconds = (Date.now() - started) / 1000;
    console.log(
      `HTTP fuzz: ${sent} requests over ${operations.length} operations in ${seconds.toFixed(1)} s (${Math.round(sent / seconds)}/s, seed ${SEED}); statuses ${JSON.stringify(Object.fromEntries([...statuses].sort(([a], [b]) => a - b)))}`,
    );
    expect(failures.filter(Boolean)).toEqual([]);
    expect(sent).toBeGreaterThanOrEqual(10_000);
    // Connections the server closed before the client read its answer stay rare (a race, not a way of answering).
    expect(statuses.get(0) ?? 0).toBeLessThan(sent / 100);
    // The fuzzing reached past validation too: handlers answered, not only the input checks and the guards.
    expect([200, 400, 401, 403, 404].map((status) => (statuses.get(status) ?? 0) > 0)).toEqual([true, true, true, true, true]);

    // Still serving afterwards.
    const me = await fetch(`${stack.gatewayUrl}/api/me`, { headers: { authorization: `Bearer ${await stack.token('owner@contoso.test')}` } });
    expect(me.status).toBe(200);
  }, 600_000);
});

/** The Authorization header of a request: mostly valid users' tokens, else every kind of bad token. */
async function bearerTokens(stack: Stack): Promise<fc.Arbitrary<string | undefined>> {
  const key = developmentSigningKey(E2E_SIGNING_KEY);
  const signed = (claims: Record<string, unknown>, expiresIn = '1h') =>
    new SignJWT(claims).setProtectedHeader({ alg: 'HS256' }).setIssuer(DEVELOPMENT_TOKEN_ISSUER).setAudience(DEVELOPMENT_TOKEN_AUDIENCE).setExpirationTime(expiresIn).sign(key);
  const valid = await Promise.all(['owner@contoso.test', 'admin@msp.test', 'reader@contoso.test', 'operator@contoso.test', 'nobody@unknown.test'].map((email) => stack.token(email)));
  const expired = await signDevelopmentToken({ email: 'owner@contoso.test', signingKey: E2E_SIGNING_KEY, expiresIn: -3600 });
  const otherKey = await signDevelopmentToken({ email: 'owner@contoso.test', signingKey: 'another-signing-key-0123456789-abcdefghijkl' });
  const base64 = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');
  const algNone = `${base64({ alg: 'none', typ: 'JWT' })}.${base64({ email: 'owner@contoso.test', iss: DEVELOPMENT_TOKEN_ISSUER, aud: DEVELOPMENT_TOKEN_AUDIENCE, exp: 4102444800 })}.`;
  const controlClaims = await Promise.all([
    signed({ email: 'owner@contoso.test\u0000' }),
    signed({ email: 'owner@contoso.test', sub: '\u0000' }),
    signed({ email: 'own\u0000er@contoso.test', oid: 'x' }),
    signed({ email: 'owner@contoso.test', name: 'line\nbreak\u0007' }),
    signed({ preferred_username: '\u0000@\u0000' }),
  ]);
  const [header, payload] = valid[0].split('.');
  return fc.oneof(
    { weight: 10, arbitrary: fc.constantFrom(...valid).map((token) => `Bearer ${token}`) },
    { weight: 4, arbitrary: fc.constantFrom(expired, otherKey, algNone, ...controlClaims).map((token) => `Bearer ${token}`) },
    { weight: 1, arbitrary: fc.constant(`Bearer ${header}.${payload}.${'A'.repeat(43)}`) },
    { weight: 1, arbitrary: fc.string({ unit: 'binary-ascii', maxLength: 80 }).map((garbage) => `Bearer ${garbage.replace(/[\u0000-\u001f\u007f]/g, '')}`) },
    { weight: 1, arbitrary: fc.constantFrom(undefined, '', 'Bearer', 'Bearer ', 'Basic b3duZXI6cGFzcw==', `Bearer ${'a'.repeat(8000)}`, 'Bearer a.b.c', `bearer ${valid[0]}x`) },
  );
}
