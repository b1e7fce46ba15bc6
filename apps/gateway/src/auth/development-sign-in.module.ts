import { Module } from '@nestjs/common';
import { DevelopmentSignInController } from './development-sign-in.controller.js';

/** Imported by AppModule only when AUTH_MODE=development. */
@Module({ controllers: [DevelopmentSignInController] })
export class DevelopmentSignInModule {}
