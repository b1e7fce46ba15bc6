import { Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { DEFAULT_PAGE_SIZE, MAX_FLEET_BATCH_TENANTS, type RunStatusView } from '@policyvault/contracts';
import { validateRunTargetAndScope } from '@policyvault/platform';
import type { AuthenticatedIdentity } from '../auth/authenticated-identity.js';
import type { PageQuery } from '../common/page.query.js';
import { GatewayErrorCode } from '../errors/gateway-error-code.js';
import { GatewayException } from '../errors/gateway.exception.js';
import { OtherTenantException } from '../errors/other-tenant.exception.js';
import { StartRunService } from '../runs/start-run.service.js';
import { decodeFleetCursor, encodeFleetCursor } from './fleet-cursor.js';
import { FleetBatchRepository, type NewFleetBatchRun } from './fleet-batch.repository.js';
import type { FleetBatchRunEntity } from './fleet-batch-run.entity.js';
import type { FleetBatchEntity } from './fleet-batch.entity.js';
import { FleetOverviewService } from './fleet-overview.service.js';
import { FleetRunServiceClient } from './fleet-run-service.client.js';
import { FleetTenantsService } from './fleet-tenants.service.js';
import type { FleetTenant } from './fleet-visibility.js';
import type { FleetBatchCreatedResponse, FleetBatchFields, FleetBatchResponse, FleetBatchRunResponse, FleetBatchStatusCounts } from './fleet.response.js';
import type { StartFleetRunBody } from './start-fleet-run.body.js';

/** Starts in flight at once: run-service writes concurrent starts in one batched statement. */
const START_CONCURRENCY = 16;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const UPSTREAM_CODES: readonly GatewayErrorCode[] = [GatewayErrorCode.UpstreamUnavailable, GatewayErrorCode.UpstreamFailed];
const TENANT_DISABLED = 'tenant_disabled';

/**
 * Fleet starts: the same run in many tenants, each through the one start path (StartRunService: the
 * tenant's role, the type's shapes, run-service's de-duplication), recorded as a batch.
 */
@Injectable()
export class FleetRunsService {
  constructor(
    private readonly tenants: FleetTenantsService,
    private readonly overview: FleetOverviewService,
    private readonly startRun: StartRunService,
    private readonly batches: FleetBatchRepository,
    private readonly runService: FleetRunServiceClient,
  ) {}

  /**
   * With an Idempotency-Key (`idempotencyKey`, its anchor): the batch gets the anchor as its id and each
   * tenant's start passes it to run-service, so a retry whose first answer was never stored answers the
   * batch that request recorded, or starts nothing new where it had started a run.
   */
  async start(identity: AuthenticatedIdentity, body: StartFleetRunBody, { idempotencyKey }: { idempotencyKey?: string } = {}): Promise<FleetBatchCreatedResponse> {
    const recorded = idempotencyKey ? await this.batches.find(idempotencyKey) : null;
    if (recorded) return createdResponse(recorded.batch, recorded.runs);
    if ((body.tenantIds === undefined) === (body.filter === undefined)) throw GatewayException.invalidRequest('tenantIds, filter: give exactly one of them');
    // Checked once for all tenants: a malformed body is one 400, not a batch of rejections.
    const shape = validateRunTargetAndScope(body.type, body.target, body.scope);
    if (!shape.ok) throw GatewayException.invalidRequest(shape.problems);
    const tenants = body.tenantIds ? await this.listed(identity, body.tenantIds) : await this.overview.matching(identity, body.filter!);
    if (tenants.length === 0) throw GatewayException.invalidRequest('filter: matches no tenant you can see');
    if (tenants.length > MAX_FLEET_BATCH_TENANTS) {
      throw GatewayException.invalidRequest(`filter: matches ${tenants.length} tenants; a fleet start covers at most ${MAX_FLEET_BATCH_TENANTS}`);
    }
    const runs = await this.startEach(tenants, body, idempotencyKey);
    const batch = await this.batches.create(
      { id: idempotencyKey ?? randomUUID(), type: body.type, target: body.target, scope: body.scope, createdByUserId: tenants[0].access.userId, createdByEmail: identity.email },
      runs,
    );
    return createdResponse(batch, runs);
  }

  /** A batch as it is now: its runs' statuses (one request to run-service), counted, and a page of its tenants. */
  async batch(identity: AuthenticatedIdentity, batchId: string, page: PageQuery): Promise<FleetBatchResponse> {
    const found = await this.batches.find(batchId);
    const visible = new Map((await this.tenants.visibleTo(identity)).map((tenant) => [tenant.access.tenantId, tenant]));
    // A batch shows only the tenants the caller can see now; one with none of them is other tenants' (403).
    const entries = found?.runs.filter((run) => visible.has(run.tenantId)) ?? [];
    if (!found || entries.length === 0) throw new OtherTenantException(found?.runs.map((run) => run.tenantId) ?? [], 'fleet batch not found');

    const refs = entries.flatMap((run) => (run.runId ? [{ tenantId: run.tenantId, runId: run.runId }] : []));
    const { runs } = refs.length > 0 ? await this.runService.statuses({ runs: refs }) : { runs: [] as RunStatusView[] };
    const statuses = new Map(runs.map((run) => [run.runId, run]));
    const counts: FleetBatchStatusCounts = { queued: 0, running: 0, succeeded: 0, partial: 0, failed: 0, canceled: 0, rejected: 0 };
    for (const entry of entries) {
      const status = entry.runId ? statuses.get(entry.runId)?.status : undefined;
      if (status) counts[status] += 1;
      else if (entry.outcome === 'rejected') counts.rejected += 1;
    }

    const after = page.cursor ? decodeFleetCursor(page.cursor, UUID) : null;
    const limit = page.limit ?? DEFAULT_PAGE_SIZE;
    const rest = after === null ? entries : entries.filter((entry) => entry.tenantId > after);
    const items = rest.slice(0, limit).map((entry) => this.batchRun(entry, visible.get(entry.tenantId)!, entry.runId ? statuses.get(entry.runId) : undefined));
    const { batch } = found;
    return {
      ...batchFields(batch),
      createdBy: { userId: batch.createdByUserId, email: batch.createdByEmail },
      tenants: entries.length,
      counts,
      done: counts.queued === 0 && counts.running === 0,
      items,
      nextCursor: rest.length > limit ? encodeFleetCursor(items[items.length - 1].tenantId) : null,
    };
  }

  /** The listed tenants; 403 naming those the caller cannot see (nothing starts then). */
  private async listed(identity: AuthenticatedIdentity, tenantIds: string[]): Promise<FleetTenant[]> {
    const wanted = [...new Set(tenantIds.map((id) => id.toLowerCase()))];
    const visible = new Map((await this.tenants.visibleTo(identity)).map((tenant) => [tenant.access.tenantId, tenant]));
    const unknown = wanted.filter((id) => !visible.has(id));
    if (unknown.length > 0) {
      throw new GatewayException(GatewayErrorCode.TenantAccessDenied, `you are not a member of these tenants: ${unknown.slice(0, 20).join(', ')}`);
    }
    return wanted.map((id) => visible.get(id)!);
  }

  /** One start per tenant, START_CONCURRENCY at a time; after run-service fails to answer, the rest are not attempted. */
  private async startEach(tenants: FleetTenant[], body: StartFleetRunBody, idempotencyKey: string | undefined): Promise<NewFleetBatchRun[]> {
    const results: NewFleetBatchRun[] = new Array(tenants.length);
    let next = 0;
    let upstreamDown: GatewayException | null = null;
    const startOne = async (tenant: FleetTenant): Promise<NewFleetBatchRun> => {
      const tenantId = tenant.access.tenantId;
      const rejected = (reasonCode: string, reason: string): NewFleetBatchRun => ({ tenantId, outcome: 'rejected', runId: null, reasonCode, reason });
      if (tenant.disabled) return rejected(TENANT_DISABLED, 'the tenant is disabled: it starts no runs');
      if (upstreamDown) return rejected(upstreamDown.code, `not attempted: ${upstreamDown.message}; submit again (starts are de-duplicated)`);
      try {
        const reply = await this.startRun.execute(tenant.access, { type: body.type, target: body.target, scope: body.scope }, { idempotencyKey });
        return { tenantId, outcome: reply.reused ? 'reused' : 'started', runId: reply.run.id, reasonCode: null, reason: null };
      } catch (error) {
        if (!(error instanceof GatewayException)) throw error;
        if (UPSTREAM_CODES.includes(error.code)) upstreamDown = error;
        return rejected(error.code, error.message);
      }
    };
    const worker = async () => {
      while (next < tenants.length) {
        const index = next++;
        results[index] = await startOne(tenants[index]);
      }
    };
    await Promise.all(Array.from({ length: Math.min(START_CONCURRENCY, tenants.length) }, worker));
    return results;
  }

  private batchRun(entry: FleetBatchRunEntity, tenant: FleetTenant, run: RunStatusView | undefined): FleetBatchRunResponse {
    return {
      tenantId: entry.tenantId,
      displayName: tenant.access.displayName,
      outcome: entry.outcome,
      runId: entry.runId,
      status: run?.status ?? null,
      errorCode: run?.errorCode ?? null,
      finishedAt: run?.finishedAt ?? null,
      reasonCode: entry.reasonCode,
      reason: entry.reason,
    };
  }
}

/** The answer to a fleet start: the batch and what it did in each tenant. */
function createdResponse(batch: FleetBatchEntity, runs: NewFleetBatchRun[]): FleetBatchCreatedResponse {
  const count = (outcome: string) => runs.filter((run) => run.outcome === outcome).length;
  return {
    ...batchFields(batch),
    counts: { started: count('started'), reused: count('reused'), rejected: count('rejected') },
    items: runs.map((run) => ({ tenantId: run.tenantId, outcome: run.outcome, runId: run.runId, reasonCode: run.reasonCode, reason: run.reason })),
  };
}

function batchFields(batch: FleetBatchEntity): FleetBatchFields {
  return { id: batch.id, type: batch.type, target: batch.target, scope: batch.scope, createdAt: batch.createdAt.toISOString() };
}
