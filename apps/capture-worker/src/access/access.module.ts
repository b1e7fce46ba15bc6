import { Module } from '@nestjs/common';
import { TenantVerifyAccessHandler } from './tenant-verify-access.handler.js';

/** The tenant access check (`tenant.verify_access`): needs Graph's token endpoint only, no store. */
@Module({
  providers: [TenantVerifyAccessHandler],
})
export class AccessModule {}
