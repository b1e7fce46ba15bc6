import { Logger } from '@nestjs/common';
import type { NestExpressApplication } from '@nestjs/platform-express';
import type { NextFunction, Request, Response } from 'express';
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { GatewayConfig } from '../gateway.config.js';
import { adminUiHeaders, COMMON_SECURITY_HEADERS } from './admin-ui-headers.js';

/** Paths that are never the UI: the API, the OpenAPI docs, health checks, metrics. */
const SERVER_PATHS = /^\/(api|docs|docs-json|health|metrics)(\/|$)/;
const IMMUTABLE = 'public, max-age=31536000, immutable';

/** dist/apps/admin-ui, next to this file's build (dist/apps/gateway/src/admin-ui/). */
export function defaultAdminUiDirectory(): string {
  return resolve(fileURLToPath(new URL('.', import.meta.url)), '../../../admin-ui');
}

/**
 * The built admin UI at `/`: hashed files under /assets cached for a year (immutable: a new build has new
 * names), index.html never cached, and every other GET for a page (Accept: text/html) outside the API
 * answered with index.html so that deep links survive a reload. The API stays under /api.
 */
export function serveAdminUi(app: NestExpressApplication, config: GatewayConfig): void {
  const express = app.getHttpAdapter().getInstance();
  express.use((_request: Request, response: Response, next: NextFunction) => {
    response.set(COMMON_SECURITY_HEADERS);
    next();
  });
  const directory = config.ADMIN_UI_DIR ? resolve(config.ADMIN_UI_DIR) : defaultAdminUiDirectory();
  const indexFile = join(directory, 'index.html');
  if (!existsSync(indexFile)) {
    new Logger('AdminUi').warn(`no admin UI build at ${directory} (npm run build makes one): serving the API only`);
    return;
  }
  const uiHeaders = adminUiHeaders(config);
  app.useStaticAssets(directory, {
    index: false,
    redirect: false,
    fallthrough: true,
    setHeaders: (response, path) => {
      response.setHeader('Cache-Control', path.startsWith(join(directory, 'assets')) ? IMMUTABLE : 'no-cache');
      for (const [name, value] of Object.entries(uiHeaders)) response.setHeader(name, value);
    },
  });
  express.use((request: Request, response: Response, next: NextFunction) => {
    const isPage = (request.method === 'GET' || request.method === 'HEAD') && (request.headers.accept ?? '').includes('text/html');
    if (!isPage || SERVER_PATHS.test(request.path) || request.path.startsWith('/assets/')) return next();
    response.set({ ...uiHeaders, 'Cache-Control': 'no-cache' });
    response.sendFile(indexFile);
  });
}
