import { Module } from '@nestjs/common';
import { StoreModule } from '../store/store.module.js';
import { CapturePolicySnapshotHandler } from './capture-policy-snapshot.handler.js';
import { IncrementalCapture } from './incremental-capture.js';
import { PolicyCaptureService } from './policy-capture.service.js';
import { SecretOmaSettings } from './secret-oma-settings.js';
import { SettingDefinitionCapture } from '../documentation/setting-definition-capture.js';

@Module({
  imports: [StoreModule],
  providers: [PolicyCaptureService, SecretOmaSettings, SettingDefinitionCapture, IncrementalCapture, CapturePolicySnapshotHandler],
  exports: [PolicyCaptureService, IncrementalCapture],
})
export class CaptureModule {}
