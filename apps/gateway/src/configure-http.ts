import type { INestApplication } from '@nestjs/common';
import type { NestExpressApplication } from '@nestjs/platform-express';
import type { Server } from 'node:http';
import { serveAdminUi } from './admin-ui/serve-admin-ui.js';
import { rejectUnsafeInput } from './common/unsafe-input.middleware.js';
import { applyServerTimeouts, requestBodyDeadline } from './common/request-body-deadline.js';
import { serveOpenApi } from './docs/openapi.js';
import { isImportUpload } from './imports/imports.controller.js';
import type { GatewayConfig } from './gateway.config.js';

/**
 * HTTP settings that live on the Express app rather than in modules: header and body timeouts (a slow or stalled
 * client is answered 408 and disconnected), the body limits (JSON, forms, CSV) (checked while reading, before
 * parsing), one check of every request's parsed input (NUL characters, nesting depth), no ETag hashing or
 * X-Powered-By on API answers, the OpenAPI docs, and the admin UI at `/` with its security headers.
 */
export function configureHttp(app: INestApplication, config: GatewayConfig): void {
  const express = app as NestExpressApplication;
  applyServerTimeouts(app.getHttpServer() as Server, config);
  express.use(
    requestBodyDeadline(config.HTTP_BODY_TIMEOUT_MS, config.HTTP_BODY_LIMIT_BYTES, {
      matches: isImportUpload,
      timeoutMs: config.IMPORT_UPLOAD_TIMEOUT_MS,
      limitBytes: config.IMPORT_UPLOAD_LIMIT_BYTES,
    }),
  );
  express.useBodyParser('json', { limit: config.HTTP_BODY_LIMIT_BYTES });
  express.useBodyParser('urlencoded', { limit: config.HTTP_BODY_LIMIT_BYTES, extended: false });
  // Bulk onboarding (POST /api/tenants/bulk) takes a CSV body, read as text under the same limit.
  express.useBodyParser('text', { type: 'text/csv', limit: config.HTTP_BODY_LIMIT_BYTES });
  express.use(rejectUnsafeInput);
  express.set('etag', false);
  express.disable('x-powered-by');
  serveOpenApi(app);
  serveAdminUi(express, config);
}
