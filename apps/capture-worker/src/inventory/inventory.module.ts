import { Module } from '@nestjs/common';
import { StoreModule } from '../store/store.module.js';
import { InventorySyncHandler } from './inventory-sync.handler.js';
import { InventoryService } from './inventory.service.js';

@Module({
  imports: [StoreModule],
  providers: [InventoryService, InventorySyncHandler],
  exports: [InventoryService],
})
export class InventoryModule {}
