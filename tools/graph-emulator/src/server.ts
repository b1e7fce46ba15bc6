import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { randomUUID } from 'node:crypto';
import { handleAdmin } from './admin/admin-router.js';
import { openIdDiscovery } from './auth/openid-discovery.js';
import { bodyKeysOf, createdIdOf, objectNameOf, type RequestJournal } from './behaviour/journal.js';
import { EmulatorAdmin, EmulatorState, type GraphEmulatorOptions } from './emulator-state.js';
import { graphError, throttled, unavailable, type GraphAnswer } from './graph/graph-errors.js';
import { parseBatch, runBatch, type BatchItem } from './graph/batch-handler.js';
import { GraphHandler, MALFORMED_BODY } from './graph/graph-handler.js';
import type { TenantStore } from './graph/tenant-store.js';

export interface RunningGraphEmulator {
  url: string;
  port: number;
  journal: RequestJournal;
  admin: EmulatorAdmin;
  state: EmulatorState;
  close(): Promise<void>;
}

const MAX_BODY_BYTES = 10 * 1024 * 1024;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Starts the emulator (in-process for tests; `main.ts` runs it as a process). */
export async function startGraphEmulator(options: GraphEmulatorOptions = {}): Promise<RunningGraphEmulator> {
  const state = new EmulatorState(options);
  const admin = new EmulatorAdmin(state);
  if (options.seedDemoTenants ?? true) admin.seedDemoTenants(options.demoSeed);
  if (options.exportDirectory) await admin.loadExport(options.exportTenant ?? 'export-tenant', options.exportDirectory);

  const sockets = new Set<Socket>();
  const server = createServer((request, response) => {
    route(state, admin, request, response).catch(() => {
      if (!response.headersSent) send(response, { status: 500, body: { error: { code: 'InternalServerError', message: 'Emulator error.' } } });
      else response.destroy();
    });
  });
  server.keepAliveTimeout = 65_000;
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 3100, options.host ?? '127.0.0.1', () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://${options.host && options.host !== '0.0.0.0' ? options.host : '127.0.0.1'}:${port}`,
    port,
    journal: state.journal,
    admin,
    state,
    close: async () => {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

async function route(state: EmulatorState, admin: EmulatorAdmin, request: IncomingMessage, response: ServerResponse): Promise<void> {
  const arrival = Date.now();
  const url = new URL(request.url ?? '/', 'http://emulator');
  const method = (request.method ?? 'GET').toUpperCase();
  const raw = await readBody(request);
  const baseUrl = `http://${request.headers.host ?? '127.0.0.1'}`;

  if (url.pathname.startsWith('/_emulator/')) {
    const answer = await handleAdmin(state, admin, method, url.pathname, url.searchParams, parseJson(raw));
    return send(response, answer);
  }

  const tokenMatch = /^\/([^/]+)\/oauth2\/v2\.0\/token$/.exec(url.pathname);
  if (tokenMatch && method === 'POST') {
    const tenant = decodeURIComponent(tokenMatch[1]);
    const result = state.tokens.issue(tenant, new URLSearchParams(raw), state.tenants.has(tenant));
    state.journal.record({ time: arrival, respondedAt: Date.now(), kind: 'token', method, path: url.pathname, query: '', tenant, status: result.ok ? 200 : result.status });
    return send(response, { status: result.ok ? 200 : result.status, body: result.body });
  }
  const discovery = openIdDiscovery(method, url.pathname, { domains: state.domains, hasTenant: (id) => state.tenants.has(id) });
  if (discovery) return send(response, discovery);

  const versionMatch = /^\/(beta|v1\.0)(\/.*)$/.exec(url.pathname);
  if (!versionMatch) return send(response, graphError(404, 'UnknownResource', 'Resource not found.'));
  const [, version, path] = versionMatch;
  const journalBase = { time: arrival, kind: 'graph' as const, method, path: url.pathname, query: url.search };

  const claims = state.tokens.verify(request.headers.authorization);
  const tenant = claims ? state.tenants.get(claims.tid) : undefined;
  if (!claims || !tenant) {
    const answer = graphError(401, 'InvalidAuthenticationToken', 'Access token validation failure. Invalid audience, signature or expiry.');
    state.journal.record({ ...journalBase, respondedAt: Date.now(), tenant: claims?.tid, status: 401 });
    return send(response, answer);
  }
  const journal = { ...journalBase, tenant: tenant.directoryId, appId: claims.appid };

  const latency = state.faults.latencyMs(tenant.directoryId);
  if (latency > 0) await sleep(latency);
  const held = state.faults.heldUntil(tenant.directoryId);
  if (held) await held;
  const fault = state.faults.connectionFault(tenant.directoryId);
  if (fault === 'reset') {
    state.journal.record({ ...journal, respondedAt: Date.now(), status: 0, fault });
    request.socket.destroy();
    return;
  }
  if (fault === 'timeout') {
    state.journal.record({ ...journal, respondedAt: Date.now(), status: 0, fault });
    setTimeout(() => request.socket.destroy(), state.faults.hangMs(tenant.directoryId)).unref();
    return;
  }

  const body = raw.length === 0 ? undefined : (parseJson(raw) ?? MALFORMED_BODY);
  const answer =
    path === '/$batch' && method === 'POST'
      ? batch(state, tenant, claims.appid, version, body, baseUrl)
      : single(state, tenant, claims.appid, { method, version, path, query: url.searchParams, body, baseUrl });
  state.journal.record({
    ...journal,
    respondedAt: Date.now(),
    status: answer.status,
    bodyKeys: body === MALFORMED_BODY ? undefined : bodyKeysOf(body),
    objectName: method === 'GET' ? undefined : objectNameOf(body),
    createdId: createdIdOf(answer.status, answer.body),
    retryAfterSeconds: retryAfterOf(answer),
    fault: fault === 'malformed' ? fault : undefined,
  });
  if (fault === 'malformed' && answer.status === 200) {
    const text = JSON.stringify(answer.body ?? {});
    response.writeHead(200, { 'Content-Type': 'application/json' });
    response.end(text.slice(0, Math.max(1, Math.floor(text.length / 2))));
    return;
  }
  send(response, answer);
}

interface SingleCall {
  method: string;
  version: string;
  path: string;
  query: URLSearchParams;
  body: unknown;
  baseUrl: string;
}

/** One Graph request or batch item: throttling, injected failures, then the collection itself. */
function single(state: EmulatorState, tenant: TenantStore, appId: string, call: SingleCall): GraphAnswer {
  const decision = state.throttler.check(appId, tenant.directoryId, GraphHandler.isWrite(call.method));
  const injectedThrottle = decision.allowed && state.faults.injectThrottle(tenant.directoryId);
  if (!decision.allowed || injectedThrottle) {
    const retryAfterSeconds = decision.allowed ? 1 : decision.retryAfterSeconds;
    return throttled(state.faults.omitRetryAfter(tenant.directoryId) ? undefined : retryAfterSeconds);
  }
  const injected = state.faults.answerFault(tenant.directoryId, call.path);
  if (injected) {
    if (injected.status === 503) return unavailable(injected.retryAfterSeconds);
    return graphError(injected.status, injected.status >= 500 ? 'InternalServerError' : 'BadRequest', 'Injected failure for this object.');
  }
  const answer = state.graph.handle({ ...call, tenant });
  return { ...answer, headers: { 'request-id': randomUUID(), ...answer.headers } };
}

function batch(state: EmulatorState, tenant: TenantStore, appId: string, version: string, body: unknown, baseUrl: string): GraphAnswer {
  const items = parseBatch(body);
  if (!Array.isArray(items)) return items;
  const record = (item: BatchItem, target: URL, arrival: number, answer: GraphAnswer) =>
    state.journal.record({
      time: arrival,
      respondedAt: Date.now(),
      kind: 'batch-item',
      method: item.method,
      path: `/${version}${target.pathname}`,
      query: target.search,
      tenant: tenant.directoryId,
      appId,
      status: answer.status,
      bodyKeys: bodyKeysOf(item.body),
      objectName: item.method.toUpperCase() === 'GET' ? undefined : objectNameOf(item.body),
      createdId: createdIdOf(answer.status, answer.body),
      retryAfterSeconds: retryAfterOf(answer),
    });
  const targetOf = (item: BatchItem) => new URL(`/${item.url.replace(/^\/+/, '')}`, 'http://emulator');
  return runBatch(
    items,
    (item) => {
      const arrival = Date.now();
      const target = targetOf(item);
      const answer = single(state, tenant, appId, { method: item.method, version, path: target.pathname, query: target.searchParams, body: item.body, baseUrl });
      record(item, target, arrival, answer);
      return answer;
    },
    (item, answer) => record(item, targetOf(item), Date.now(), answer),
  );
}

function retryAfterOf(answer: GraphAnswer): number | undefined {
  const value = answer.headers?.['Retry-After'];
  return value === undefined ? undefined : Number(value);
}

function send(response: ServerResponse, answer: { status: number; body?: unknown; headers?: Record<string, string> }): void {
  const headers: Record<string, string> = { ...answer.headers };
  if (answer.body === undefined || answer.status === 204) {
    response.writeHead(answer.status, headers);
    response.end();
    return;
  }
  headers['Content-Type'] = 'application/json';
  response.writeHead(answer.status, headers);
  response.end(JSON.stringify(answer.body));
}

function parseJson(raw: string): unknown {
  if (raw.length === 0) return undefined;
  try {
    return JSON.parse(raw);
  } catch {
    return undefined;
  }
}

async function readBody(request: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY_BYTES) break;
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}
