import { Module } from '@nestjs/common';
import { TenantAccessModule } from '../tenants/tenant-access.module.js';
import { MeController } from './me.controller.js';

@Module({
  imports: [TenantAccessModule],
  controllers: [MeController],
})
export class MeModule {}
