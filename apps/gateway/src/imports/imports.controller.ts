import { randomUUID } from 'node:crypto';
import { Controller, HttpCode, HttpStatus, Post, Query, Req, Res } from '@nestjs/common';
import { ApiAcceptedResponse, ApiBadRequestResponse, ApiConsumes, ApiOperation, ApiServiceUnavailableResponse, ApiTags } from '@nestjs/swagger';
import { RunType, type StartRunReply } from '@policyvault/contracts';
import { ImportUploadTooLargeError, ImportUploads } from '@policyvault/platform';
import { requestPath, type PathRequest, type RawBackedRequest } from '../common/http-request.js';
import type { HttpResponse } from '../common/http-response.js';
import { bodyTooLarge } from '../common/request-body-deadline.js';
import { ErrorResponse } from '../errors/error.response.js';
import { GatewayException } from '../errors/gateway.exception.js';
import { StartRunResponse } from '../runs/run.response.js';
import type { StartRunBody } from '../runs/start-run.dto.js';
import { StartRunService, requireRoleToStart } from '../runs/start-run.service.js';
import { CurrentTenantAccess } from '../tenants/current-tenant-access.decorator.js';
import { requireActiveTenant } from '../tenants/require-active-tenant.js';
import type { TenantAccess } from '../tenants/tenant-access.js';
import { TenantScoped } from '../tenants/tenant-scoped.decorator.js';
import { GatewayConfig } from '../gateway.config.js';
import { ImportQuery } from './import.query.js';

/** The content types a zip archive arrives with (browsers say `application/x-zip-compressed` on Windows). */
const ZIP_CONTENT_TYPES = new Set(['application/zip', 'application/x-zip-compressed', 'application/octet-stream']);
const IMPORT_ROUTE = /^\/api\/tenants\/[^/]+\/imports\/?$/;

/** The upload route (its body limit and deadline are IMPORT_UPLOAD_LIMIT_BYTES / IMPORT_UPLOAD_TIMEOUT_MS). */
export const isImportUpload = (request: PathRequest & { method?: string }): boolean => request.method === 'POST' && IMPORT_ROUTE.test(requestPath(request));

/** The body does not start like a zip archive (local file header, or an empty archive's end record). */
class NotAZipError extends Error {}

/** Passes the body through, refusing it at its first bytes when they are not a zip's. */
async function* zipBody(body: AsyncIterable<Buffer>): AsyncGenerator<Uint8Array> {
  let head = Buffer.alloc(0);
  let checked = false;
  for await (const chunk of body) {
    if (!checked) {
      head = Buffer.concat([head, chunk]);
      if (head.length < 4) continue;
      const magic = head.readUInt32LE(0);
      if (magic !== 0x04034b50 && magic !== 0x06054b50) throw new NotAZipError();
      checked = true;
      yield head;
      continue;
    }
    yield chunk;
  }
  if (!checked) throw new NotAZipError();
}

@ApiTags('imports')
@TenantScoped()
@ApiServiceUnavailableResponse({ type: ErrorResponse, description: 'run-service or NATS did not answer in time; safe to retry.' })
@Controller('api/tenants/:tenantId/imports')
export class ImportsController {
  constructor(
    private readonly uploads: ImportUploads,
    private readonly startRun: StartRunService,
    private readonly config: GatewayConfig,
  ) {}

  @Post()
  @HttpCode(HttpStatus.ACCEPTED)
  @ApiConsumes('application/zip')
  @ApiOperation({
    summary: 'Import a backup archive into a new backup set',
    description:
      'The body is a zip archive (a folder is zipped by the client) of Graph-shaped JSON or YAML as IntuneManagement, IntuneCD or Graph ' +
      'Explorer write them, or a PolicyVault export. It is streamed (never held whole) into the imports bucket, then a backup_set.import ' +
      'run is started (operator and up); the run makes one backup item per object and a failed item per file it cannot read or place. ' +
      '400 for a body that is not a zip, is empty or is larger than IMPORT_UPLOAD_LIMIT_BYTES; an archive refused by the worker ' +
      '(zip bomb, traversal, too many entries…) fails its run with the reason and keeps nothing.',
  })
  @ApiAcceptedResponse({ type: StartRunResponse, description: 'Uploaded and queued; Location names the run.' })
  @ApiBadRequestResponse({ type: ErrorResponse, description: 'Missing name, not a zip, empty, or too large.' })
  async upload(
    @CurrentTenantAccess() access: TenantAccess,
    @Query() query: ImportQuery,
    @Req() request: RawBackedRequest,
    @Res({ passthrough: true }) response: HttpResponse,
  ): Promise<StartRunReply> {
    // Everything that needs no body first: the body is read only for a start that can happen.
    requireRoleToStart(access, RunType.BackupSetImport);
    requireActiveTenant(access, `starting a ${RunType.BackupSetImport} run`);
    // The body is streamed from the Node request, unread by any body parser.
    const upload = request.raw;
    const contentType = (upload.headers['content-type'] ?? '').split(';')[0].trim().toLowerCase();
    if (!ZIP_CONTENT_TYPES.has(contentType)) throw GatewayException.invalidRequest('the body must be a zip archive (content-type application/zip)');
    const uploadId = randomUUID();
    const limit = this.config.IMPORT_UPLOAD_LIMIT_BYTES;
    try {
      await this.uploads.put(access.tenantId, uploadId, zipBody(upload), limit);
    } catch (error) {
      if (error instanceof ImportUploadTooLargeError) throw GatewayException.invalidRequest(bodyTooLarge(limit));
      if (error instanceof NotAZipError) throw GatewayException.invalidRequest('the body is not a zip archive');
      throw error;
    }
    const body = { type: RunType.BackupSetImport, target: { name: query.name, uploadId }, scope: {} } as StartRunBody;
    let reply: StartRunReply;
    try {
      reply = await this.startRun.execute(access, body);
    } catch (error) {
      await this.uploads.delete(access.tenantId, uploadId).catch(() => undefined);
      throw error;
    }
    response.header('Location', `/api/tenants/${access.tenantId}/runs/${reply.run.id}`);
    return reply;
  }
}
