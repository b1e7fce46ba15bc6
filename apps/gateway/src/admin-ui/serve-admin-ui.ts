import { Logger } from '@nestjs/common';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance, FastifyReply, FastifyRequest, HookHandlerDoneFunction } from 'fastify';
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { GatewayConfig } from '../gateway.config.js';
import { requestPath } from '../common/http-request.js';
import { adminUiHeaders, COMMON_SECURITY_HEADERS } from './admin-ui-headers.js';

/** Paths that are never the UI: the API, the OpenAPI docs, health checks, metrics. */
const SERVER_PATHS = /^\/(api|docs|docs-json|health|metrics)(\/|$)/;
/** The OpenAPI docs (registered before these headers on Express, so they never had them). */
const DOCS_PATHS = /^\/(docs|docs-json)(\/|$)/;
const IMMUTABLE = 'public, max-age=31536000, immutable';

/** dist/apps/admin-ui, next to this file's build (dist/apps/gateway/src/admin-ui/). */
export function defaultAdminUiDirectory(): string {
  return resolve(fileURLToPath(new URL('.', import.meta.url)), '../../../admin-ui');
}

/**
 * The built admin UI at `/`: hashed files under /assets cached for a year (immutable: a new build has new
 * names), index.html never cached, and every other GET for a page (Accept: text/html) outside the API
 * answered with index.html so that deep links survive a reload. The API stays under /api.
 * Every answer after parsing (routes, 404s) carries COMMON_SECURITY_HEADERS: set on the Node response, so that
 * the replies written by hand (event streams, zips, reports) have them too.
 */
export function serveAdminUi(fastify: FastifyInstance, config: GatewayConfig): void {
  fastify.addHook('preValidation', (request: FastifyRequest, reply: FastifyReply, done: HookHandlerDoneFunction) => {
    if (!DOCS_PATHS.test(requestPath(request))) for (const [name, value] of Object.entries(COMMON_SECURITY_HEADERS)) reply.raw.setHeader(name, value);
    done();
  });
  const directory = config.ADMIN_UI_DIR ? resolve(config.ADMIN_UI_DIR) : defaultAdminUiDirectory();
  if (!existsSync(join(directory, 'index.html'))) {
    new Logger('AdminUi').warn(`no admin UI build at ${directory} (npm run build makes one): serving the API only`);
    return;
  }
  const uiHeaders = adminUiHeaders(config);
  // `reply.sendFile` for the deep links below (this registration serves nothing itself).
  void fastify.register(fastifyStatic, { root: directory, serve: false });
  // One route per file of the build (no wildcard): a missing file stays a 404, and a deep link reaches the page below.
  void fastify.register(async (files) => {
    files.addHook('onRoute', (route) => {
      route.config = { ...route.config, staticFile: true };
    });
    await files.register(fastifyStatic, {
      root: directory,
      wildcard: false,
      index: false,
      redirect: false,
      decorateReply: false,
      setHeaders: (reply, path) => {
        reply.header('Cache-Control', path.startsWith(join(directory, 'assets')) ? IMMUTABLE : 'no-cache');
        reply.headers(uiHeaders);
      },
    });
  });
  // Deep links: a page no route serves is index.html, for the UI's router.
  fastify.addHook('preValidation', (request: FastifyRequest, reply: FastifyReply, done: HookHandlerDoneFunction) => {
    const path = requestPath(request);
    const isPage = (request.method === 'GET' || request.method === 'HEAD') && (request.headers.accept ?? '').includes('text/html');
    if (!request.is404 || !isPage || SERVER_PATHS.test(path) || path.startsWith('/assets/')) return done();
    void reply.headers({ ...uiHeaders, 'Cache-Control': 'no-cache' }).sendFile('index.html', directory, { cacheControl: false });
  });
}
