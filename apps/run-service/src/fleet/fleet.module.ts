import { Module } from '@nestjs/common';
import { FleetRpcController } from './fleet-rpc.controller.js';
import { FleetStatusService } from './fleet-status.service.js';

@Module({
  controllers: [FleetRpcController],
  providers: [FleetStatusService],
})
export class FleetModule {}
