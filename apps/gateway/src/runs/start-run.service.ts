import { Injectable } from '@nestjs/common';
import { RUN_TYPES_REGISTRY, type RunType, type StartRunReply } from '@policyvault/contracts';
import { annotateRun, validateRunTargetAndScope } from '@policyvault/platform';
import { GatewayErrorCode } from '../errors/gateway-error-code.js';
import { GatewayException } from '../errors/gateway.exception.js';
import { requireActiveTenant } from '../tenants/require-active-tenant.js';
import type { TenantAccess } from '../tenants/tenant-access.js';
import { RestoreSourceTenantPolicy } from './restore-source-tenant.policy.js';
import { mayStartRun } from './run-role.policy.js';
import { RunServiceClient } from './run-service.client.js';
import type { StartRunBody } from './start-run.dto.js';

/** 403 insufficient_role unless the caller's role may start runs of this type (also for routes that start one on the caller's behalf). */
export function requireRoleToStart(access: TenantAccess, type: RunType): void {
  if (!mayStartRun(access.role, type)) {
    throw new GatewayException(
      GatewayErrorCode.InsufficientRole,
      `starting a ${type} run needs the ${RUN_TYPES_REGISTRY[type].minimumRole} role in this tenant; you are ${access.role}`,
    );
  }
}

/**
 * The gateway's half of a start: the body is already well-formed (ValidationPipe) and the caller a
 * member (TenantAccessGuard). Here: a type that cannot be started by hand (400), the role the run
 * type needs (403), then the type's target and scope shapes (400), then a removed tenant (409 tenant_disabled), then a cross-tenant restore's
 * role in the source tenant (403), then run-service decides a live restore's confirmation (400, or
 * 409 for a preview that does not qualify: the gateway only forwards it with the tenant's display
 * name), records the run, or returns the active duplicate. What each run type needs comes from
 * RUN_TYPES_REGISTRY.
 */
@Injectable()
export class StartRunService {
  constructor(
    private readonly runService: RunServiceClient,
    private readonly restoreSource: RestoreSourceTenantPolicy,
  ) {}

  /** `idempotencyKey`: the anchor of the request's Idempotency-Key claim; run-service answers the run it started under it before. */
  async execute(access: TenantAccess, body: StartRunBody, { idempotencyKey }: { idempotencyKey?: string } = {}): Promise<StartRunReply> {
    // Its scope is the schedule's settings at dispatch time; a hand-made one would bypass the
    // schedule's slot lock, retention and audit. Input validation, so it comes before the role.
    const definition = RUN_TYPES_REGISTRY[body.type];
    if (definition.startedBySchedule) {
      throw GatewayException.invalidRequest(`type: ${body.type} runs are started by their schedule`);
    }
    requireRoleToStart(access, body.type);
    const shape = validateRunTargetAndScope(body.type, body.target, body.scope);
    if (!shape.ok) throw GatewayException.invalidRequest(shape.problems);
    requireActiveTenant(access, `starting a ${body.type} run`);
    const target = await this.restoreSource.authorize(access, body.type, body.target);
    annotateRun({ tenantId: access.tenantId, type: body.type });
    const reply = await this.runService.start({
      tenantId: access.tenantId,
      tenantDirectoryId: access.directoryId,
      tenantDisplayName: access.displayName,
      type: body.type,
      target,
      scope: body.scope,
      initiator: { userId: access.userId, email: access.email },
      ...(body.confirmation !== undefined ? { confirmation: body.confirmation } : {}),
      ...(idempotencyKey !== undefined ? { idempotencyKey } : {}),
    });
    annotateRun({ runId: reply.run.id });
    return reply;
  }
}
