import { Injectable, Logger } from '@nestjs/common';
import { RunType, TenantRole, type RemoveTenantReply, type RunView } from '@policyvault/contracts';
import type { AuthenticatedIdentity } from '../auth/authenticated-identity.js';
import { GatewayErrorCode } from '../errors/gateway-error-code.js';
import { GatewayException } from '../errors/gateway.exception.js';
import { StartRunService } from '../runs/start-run.service.js';
import { StartRunBody } from '../runs/start-run.dto.js';
import { RunServiceClient } from '../runs/run-service.client.js';
import { AdminConsentLink } from './admin-consent-link.js';
import { DirectoryIdResolver } from './directory-id.resolver.js';
import type { TenantAccess } from './tenant-access.js';
import { TenantAccessService } from './tenant-access.service.js';
import { normalizeTags, type CreateTenantBody, type UpdateTenantBody } from './tenant.body.js';
import type { TenantEntity } from './tenant.entity.js';
import { TenantRepository } from './tenant.repository.js';
import type { OnboardedTenantResponse } from './tenant.response.js';
import { toTenantResponse } from './tenant-view.mapper.js';

/** An onboarding whose directory id is known (given, or resolved from a domain). */
export interface ResolvedOnboarding {
  directoryId: string;
  displayName: string;
  tags?: string[];
}

/**
 * Tenants come and go here: onboarding (the directory id from the body or Entra's discovery of a
 * domain, the row, the admin-consent link, and the first access check started through the one start
 * path), renaming and tagging, and removal (disabled at once, schedules paused, active runs canceled,
 * data kept until the retention passes: run-service purges it). Who may
 * do which is checked by the controller before.
 */
@Injectable()
export class TenantLifecycleService {
  private readonly logger = new Logger('TenantLifecycleService');

  constructor(
    private readonly resolver: DirectoryIdResolver,
    private readonly tenants: TenantRepository,
    private readonly access: TenantAccessService,
    private readonly startRun: StartRunService,
    private readonly runs: RunServiceClient,
    private readonly consent: AdminConsentLink,
  ) {}

  /** The directory id the body names, directly or by a verified domain: 400 for neither or both, 404 for an unknown domain. */
  async resolveDirectoryId({ directoryId, domain }: Pick<CreateTenantBody, 'directoryId' | 'domain'>): Promise<string> {
    if (directoryId !== undefined && domain !== undefined) throw GatewayException.invalidRequest('body: give either directoryId or domain, not both');
    if (directoryId !== undefined) return directoryId.toLowerCase();
    if (domain !== undefined) return this.resolver.resolve(domain.toLowerCase());
    throw GatewayException.invalidRequest('body: directoryId or domain is required');
  }

  /**
   * 409 when the directory is onboarded already (even when that tenant was removed: its data is kept).
   * `idempotencyKey` (an Idempotency-Key's anchor) goes with the access check's start.
   */
  async onboard(admin: AuthenticatedIdentity, input: ResolvedOnboarding, { idempotencyKey }: { idempotencyKey?: string } = {}): Promise<OnboardedTenantResponse> {
    const tenant = await this.tenants.insert({ displayName: input.displayName.trim(), directoryId: input.directoryId, tags: normalizeTags(input.tags) });
    if (!tenant) throw new GatewayException(GatewayErrorCode.Conflict, `directoryId: a tenant with directory id ${input.directoryId} exists`);
    this.access.forgetAll();
    return {
      tenant: toTenantResponse({ ...tenant, role: TenantRole.Owner }, null),
      adminConsentUrl: this.consent.for(tenant.directoryId),
      accessCheckRun: await this.startAccessCheck(admin, tenant, idempotencyKey),
    };
  }

  async update(tenantId: string, changes: UpdateTenantBody): Promise<void> {
    await this.tenants.update(tenantId, {
      ...(changes.displayName !== undefined ? { displayName: changes.displayName.trim() } : {}),
      ...(changes.tags !== undefined ? { tags: normalizeTags(changes.tags) } : {}),
    });
    this.access.forgetAll();
  }

  /**
   * Disabled first (every start is refused from then on), then run-service pauses its schedules,
   * cancels its queued and running runs (reason `tenant_removed`) and starts the retention clock at
   * `disabledAt`. When run-service does not answer, the 503 says so and asking again finishes the job
   * (both steps are idempotent; the first `disabledAt` is kept).
   */
  async remove(admin: AuthenticatedIdentity, access: TenantAccess): Promise<RemoveTenantReply> {
    const disabledAt = await this.tenants.disable(access.tenantId);
    if (!disabledAt) throw new Error(`tenant ${access.tenantId} passed TenantAccessGuard but does not exist`);
    this.access.forgetAll();
    return this.runs.removeTenant({ tenantId: access.tenantId, disabledAt: disabledAt.toISOString(), requestedBy: { userId: access.userId, email: admin.email } });
  }

  /** The first access check of a new tenant; null (logged) when run-service did not take it: the tenant stays onboarded. */
  private async startAccessCheck(admin: AuthenticatedIdentity, tenant: TenantEntity, idempotencyKey: string | undefined): Promise<RunView | null> {
    if (!admin.userId) throw new Error('an administrator always has a user row');
    const access: TenantAccess = {
      tenantId: tenant.id,
      directoryId: tenant.directoryId,
      displayName: tenant.displayName,
      role: TenantRole.Owner,
      userId: admin.userId,
      email: admin.email,
      disabledAt: null,
    };
    try {
      const { run } = await this.startRun.execute(access, Object.assign(new StartRunBody(), { type: RunType.TenantVerifyAccess, target: {}, scope: {} }), { idempotencyKey });
      return run;
    } catch (error) {
      if (!(error instanceof GatewayException) || (error.code !== GatewayErrorCode.UpstreamUnavailable && error.code !== GatewayErrorCode.UpstreamFailed)) throw error;
      this.logger.warn({ tenantId: tenant.id, err: { message: error.message } }, 'onboarded tenant without its first access check');
      return null;
    }
  }
}
