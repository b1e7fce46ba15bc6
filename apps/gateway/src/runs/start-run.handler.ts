import { Injectable } from '@nestjs/common';
import { RUN_TYPE_MINIMUM_ROLE, RunType, type StartRunReply } from '@policyvault/contracts';
import { GatewayErrorCode } from '../errors/gateway-error-code.js';
import { GatewayException } from '../errors/gateway.exception.js';
import type { TenantAccess } from '../tenants/tenant-access.js';
import { restoreConfirmationFor } from './restore-confirmation.policy.js';
import { RestoreSourceTenantPolicy } from './restore-source-tenant.policy.js';
import { mayStartRun } from './run-role.policy.js';
import { runRequestShapeProblems } from './run-request-shape.validator.js';
import { RunServiceClient } from './run-service.client.js';
import type { StartRunBody } from './start-run.dto.js';

/**
 * The gateway's half of a start: the body is already well-formed (ValidationPipe) and the caller a
 * member (TenantAccessGuard). Here: a type that cannot be started by hand (400), the role the run
 * type needs (403), then the type's target and scope shapes (400), then a cross-tenant restore's
 * role in the source tenant (403), then a live restore's confirmation (400; a preview id
 * run-service checks, 409), then run-service records the run, or returns the active duplicate.
 */
@Injectable()
export class StartRunHandler {
  constructor(
    private readonly runService: RunServiceClient,
    private readonly restoreSource: RestoreSourceTenantPolicy,
  ) {}

  async execute(access: TenantAccess, body: StartRunBody): Promise<StartRunReply> {
    // Its scope is the schedule's settings at dispatch time; a hand-made one would bypass the
    // schedule's slot lock, retention and audit. Input validation, so it comes before the role.
    if (body.type === RunType.BackupScheduleRun) {
      throw GatewayException.invalidRequest('type: backup_schedule.run runs are started by their schedule');
    }
    if (!mayStartRun(access.role, body.type)) {
      throw new GatewayException(
        GatewayErrorCode.InsufficientRole,
        `starting a ${body.type} run needs the ${RUN_TYPE_MINIMUM_ROLE[body.type]} role in this tenant; you are ${access.role}`,
      );
    }
    const problems = runRequestShapeProblems(body.type, body.target, body.scope);
    if (problems.length > 0) throw GatewayException.invalidRequest(problems);
    const target = await this.restoreSource.authorize(access, body.type, body.target);
    const confirmation = restoreConfirmationFor(body.type, body.confirmation, access.displayName);
    return this.runService.start({
      tenantId: access.tenantId,
      tenantDirectoryId: access.directoryId,
      type: body.type,
      target,
      scope: body.scope,
      initiator: { userId: access.userId, email: access.email },
      ...(confirmation ? { confirmation } : {}),
    });
  }
}
