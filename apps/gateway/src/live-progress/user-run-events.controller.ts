import { Controller, Get, Headers, Query, Res } from '@nestjs/common';
import { ApiHeader, ApiOkResponse, ApiOperation, ApiProduces, ApiServiceUnavailableResponse, ApiTags } from '@nestjs/swagger';
import { MAX_ACTIVE_RUNS } from '@policyvault/contracts';
import { Authenticated } from '../auth/authenticated.decorator.js';
import type { AuthenticatedIdentity } from '../auth/authenticated-identity.js';
import { CurrentIdentity } from '../auth/current-identity.decorator.js';
import type { StreamResponse } from '../common/http-response.js';
import { ErrorResponse } from '../errors/error.response.js';
import { parseLastEventId } from './last-event-id.js';
import { LiveProgressService } from './live-progress.service.js';
import { LAST_EVENT_ID, rejectQueryParameters, sseFormat } from './run-events.controller.js';

/** The live progress of every tenant the caller sees, on one connection (the admin UI's stream). */
@ApiTags('runs')
@Authenticated()
@ApiServiceUnavailableResponse({ type: ErrorResponse, description: 'run-service or the run status stream is not available; safe to retry.' })
@Controller('api/runs')
export class UserRunEventsController {
  constructor(private readonly liveProgress: LiveProgressService) {}

  @Get('events')
  @ApiOperation({
    summary: 'Live progress of the runs of every tenant the caller sees (SSE)',
    description:
      'One stream for all the tenants the caller may see (their memberships; every tenant for an MSP administrator), ' +
      'counted as one stream against SSE_MAX_STREAMS_PER_USER. Every connection starts with `event: tenants`, ' +
      '`data: { tenantIds: string[] }` (no id), the tenants it follows; membership is checked again on every heartbeat, and ' +
      'when it changed another `tenants` event follows: a revoked tenant sends nothing more, a granted one is followed from ' +
      'then on (its active runs show with their next event). Each RunView and RunStatusEvent names its `tenantId`. ' +
      sseFormat(
        `the newest ${MAX_ACTIVE_RUNS} queued and running runs of those tenants; \`truncated\` when there are more`,
        'Authentication (401) is checked when the stream opens; a caller who sees no tenant gets a stream following none.',
      ),
  })
  @ApiProduces('text/event-stream')
  @ApiHeader(LAST_EVENT_ID)
  @ApiOkResponse({ description: 'The event stream.', content: { 'text/event-stream': { schema: { type: 'string' } } } })
  async events(
    @CurrentIdentity() identity: AuthenticatedIdentity,
    @Query() query: Record<string, unknown>,
    @Headers('last-event-id') lastEventId: string | undefined,
    @Res() response: StreamResponse,
  ): Promise<void> {
    rejectQueryParameters(query);
    await this.liveProgress.streamUser({ identity, lastEventId: parseLastEventId(lastEventId) }, response);
  }
}
