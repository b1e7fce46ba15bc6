import { Controller, Get, Headers, Param, Query, Res } from '@nestjs/common';
import { ApiHeader, ApiNoContentResponse, ApiNotFoundResponse, ApiOkResponse, ApiOperation, ApiParam, ApiProduces, ApiServiceUnavailableResponse, ApiTags } from '@nestjs/swagger';
import { MAX_ACTIVE_RUNS } from '@policyvault/contracts';
import type { StreamResponse } from '../common/http-response.js';
import { UuidParamPipe } from '../common/uuid-param.pipe.js';
import { ErrorResponse } from '../errors/error.response.js';
import { GatewayException } from '../errors/gateway.exception.js';
import { CurrentTenantAccess } from '../tenants/current-tenant-access.decorator.js';
import { OTHER_TENANT_RULE } from '../tenants/other-tenant.interceptor.js';
import type { TenantAccess } from '../tenants/tenant-access.js';
import { TenantScoped } from '../tenants/tenant-scoped.decorator.js';
import { parseLastEventId } from './last-event-id.js';
import { LiveProgressService } from './live-progress.service.js';

/** The wire format of every live progress stream: what its snapshot holds, and how authorization is checked. */
export const sseFormat = (snapshot: string, authorization: string) =>
  'Server-sent events (text/event-stream). Without Last-Event-ID, first `event: snapshot` with `data: { runs: RunView[], truncated }` ' +
  `(${snapshot}), then \`event: run-status\` with \`data:\` a RunStatusEvent (the whole picture of one run: status, counts, ` +
  'cancelRequested, error) for every transition and progress step from then on. Every event has `id:` = its position in ' +
  'the run-status stream: reconnect with `Last-Event-ID` to be replayed what was missed (no snapshot then, unless the ' +
  'missed events are no longer stored, about 7 days). A comment line every ~15 s keeps the connection alive. Events of ' +
  'one run never go backwards on one connection. A client that cannot keep up is disconnected and should reconnect with ' +
  `Last-Event-ID. ${authorization} ` +
  'The bearer token goes in the Authorization header (a fetch-based EventSource; the browser EventSource cannot send it).';

const TENANT_AUTHORIZATION = 'Authorization (401/403) is checked when the stream opens, and a membership revoked later ends it.';

export const LAST_EVENT_ID = {
  name: 'Last-Event-ID',
  required: false,
  description: 'The id of the last event received; the stream resumes right after it.',
  schema: { type: 'string', pattern: '^\\d+$' },
};

@ApiTags('runs')
@TenantScoped()
@ApiServiceUnavailableResponse({ type: ErrorResponse, description: 'run-service or the run status stream is not available; safe to retry.' })
@Controller('api/tenants/:tenantId/runs')
export class RunEventsController {
  constructor(private readonly liveProgress: LiveProgressService) {}

  @Get('events')
  @ApiOperation({
    summary: "Live progress of the tenant's runs (SSE)",
    description:
      `Every run of the tenant, of every type. ${sseFormat(`the newest ${MAX_ACTIVE_RUNS} queued and running runs; \`truncated\` when there are more`, TENANT_AUTHORIZATION)} ` +
      'Any member (reader and up). A client following many tenants opens GET /api/runs/events once instead.',
  })
  @ApiProduces('text/event-stream')
  @ApiHeader(LAST_EVENT_ID)
  @ApiOkResponse({ description: 'The event stream.', content: { 'text/event-stream': { schema: { type: 'string' } } } })
  async tenantEvents(
    @CurrentTenantAccess() access: TenantAccess,
    @Query() query: Record<string, unknown>,
    @Headers('last-event-id') lastEventId: string | undefined,
    @Res() response: StreamResponse,
  ): Promise<void> {
    rejectQueryParameters(query);
    await this.liveProgress.streamTenant({ access, lastEventId: parseLastEventId(lastEventId) }, response);
  }

  @Get(':runId/events')
  @ApiOperation({
    summary: 'Live progress of one run (SSE)',
    description:
      `${sseFormat('that one run as it is now', TENANT_AUTHORIZATION)} The stream ends once the run has: after its terminal event, or ` +
      'right after the snapshot when it had already ended. Reconnecting after that answers 204 No Content (browsers stop ' +
      'reconnecting), unless events of the run after Last-Event-ID were missed: those are replayed, then the stream ends. ' +
      'Any member (reader and up).',
  })
  @ApiNoContentResponse({ description: 'The run has ended and the client (Last-Event-ID) already has its end: nothing more will come.' })
  @ApiParam({ name: 'runId', format: 'uuid' })
  @ApiProduces('text/event-stream')
  @ApiHeader(LAST_EVENT_ID)
  @ApiOkResponse({ description: 'The event stream.', content: { 'text/event-stream': { schema: { type: 'string' } } } })
  @ApiNotFoundResponse({ type: ErrorResponse, description: `No run with this id in this tenant. ${OTHER_TENANT_RULE}` })
  async runEvents(
    @CurrentTenantAccess() access: TenantAccess,
    @Param('runId', UuidParamPipe) runId: string,
    @Query() query: Record<string, unknown>,
    @Headers('last-event-id') lastEventId: string | undefined,
    @Res() response: StreamResponse,
  ): Promise<void> {
    rejectQueryParameters(query);
    await this.liveProgress.streamTenant({ access, runId, lastEventId: parseLastEventId(lastEventId) }, response);
  }
}

/** The streams take no query parameters; like every other route, an unknown one is a 400. */
export function rejectQueryParameters(query: Record<string, unknown>): void {
  const unknown = Object.keys(query);
  if (unknown.length > 0) throw GatewayException.invalidRequest(unknown.map((name) => `${name}: property ${name} should not exist`));
}
