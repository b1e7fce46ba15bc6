import { Module } from '@nestjs/common';
import { PublicSettingsController } from './public-settings.controller.js';

@Module({ controllers: [PublicSettingsController] })
export class PublicSettingsModule {}
