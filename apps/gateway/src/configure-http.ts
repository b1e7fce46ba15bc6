import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import type { BootGateOptions } from '@policyvault/platform';
import { serveAdminUi } from './admin-ui/serve-admin-ui.js';
import { COMMON_SECURITY_HEADERS } from './admin-ui/admin-ui-headers.js';
import { registerBodyParsers } from './common/body-parsers.js';
import { rejectUnsafeInput } from './common/unsafe-input.middleware.js';
import { applyServerTimeouts, requestBodyDeadline } from './common/request-body-deadline.js';
import { serveOpenApi } from './docs/openapi.js';
import { isImportUpload } from './imports/imports.controller.js';
import type { GatewayConfig } from './gateway.config.js';

/**
 * The gateway's own Fastify settings (over the platform's): a path with malformed percent-encoding, which Fastify's
 * router refuses before any hook or filter runs, is answered like every other malformed input (GatewayExceptionFilter's
 * body, the security headers).
 */
export const GATEWAY_FASTIFY_OPTIONS: BootGateOptions = { frameworkErrors: answerRouterError };

function answerRouterError(error: FastifyError, _request: FastifyRequest, reply: FastifyReply): void {
  if (error.code !== 'FST_ERR_BAD_URL') {
    void reply.send(error);
    return;
  }
  void reply
    .code(400)
    .headers(COMMON_SECURITY_HEADERS)
    .send({ statusCode: 400, error: 'Bad Request', message: 'path: malformed percent-encoding' });
}

/**
 * HTTP settings that live on the Fastify instance rather than in modules: header and body timeouts (a slow or
 * stalled client is answered 408 and disconnected), the body limits (JSON, forms, CSV) (checked while reading,
 * before parsing), one check of every request's parsed input (NUL characters, nesting depth), the OpenAPI docs,
 * and the admin UI at `/` with its security headers. Fastify sends neither ETag nor X-Powered-By.
 */
export function configureHttp(app: NestFastifyApplication, config: GatewayConfig): void {
  const fastify = app.getHttpAdapter().getInstance();
  applyServerTimeouts(app.getHttpServer(), config);
  fastify.addHook(
    'onRequest',
    requestBodyDeadline(config.HTTP_BODY_TIMEOUT_MS, config.HTTP_BODY_LIMIT_BYTES, {
      matches: isImportUpload,
      timeoutMs: config.IMPORT_UPLOAD_TIMEOUT_MS,
      limitBytes: config.IMPORT_UPLOAD_LIMIT_BYTES,
    }),
  );
  registerBodyParsers(fastify, config.HTTP_BODY_LIMIT_BYTES);
  fastify.addHook('preValidation', rejectUnsafeInput);
  serveOpenApi(app);
  serveAdminUi(fastify, config);
}
