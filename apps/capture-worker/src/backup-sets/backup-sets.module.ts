import { Module } from '@nestjs/common';
import { CaptureModule } from '../capture/capture.module.js';
import { InventoryModule } from '../inventory/inventory.module.js';
import { StoreModule } from '../store/store.module.js';
import { BackupSetAddPoliciesHandler } from './backup-set-add-policies.handler.js';
import { BackupSetCaptureService } from './backup-set-capture.service.js';
import { BackupSetCreateHandler } from './backup-set-create.handler.js';
import { PolicySelectionService } from './policy-selection.service.js';

@Module({
  imports: [StoreModule, CaptureModule, InventoryModule],
  providers: [PolicySelectionService, BackupSetCaptureService, BackupSetCreateHandler, BackupSetAddPoliciesHandler],
  exports: [BackupSetCaptureService],
})
export class BackupSetsModule {}
