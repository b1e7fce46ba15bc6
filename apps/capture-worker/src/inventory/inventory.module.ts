import { Module } from '@nestjs/common';
import { CaptureModule } from '../capture/capture.module.js';
import { StoreModule } from '../store/store.module.js';
import { InventorySyncHandler } from './inventory-sync.handler.js';
import { InventoryService } from './inventory.service.js';

@Module({
  imports: [StoreModule, CaptureModule],
  providers: [InventoryService, InventorySyncHandler],
  exports: [InventoryService],
})
export class InventoryModule {}
