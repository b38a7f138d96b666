import { Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { TypeOrmModule } from '@nestjs/typeorm';
import { Account } from './account.entity.js';
import { AccountLifecycle } from './account-lifecycle.js';
import { AccountsController } from './accounts.controller.js';
import { AccountsService } from './accounts.service.js';
import { AuthGuard } from './auth.guard.js';
import { ConsoleSessionsService } from './console-sessions.service.js';
import { SignInLinksService } from './sign-in-links.service.js';

@Module({
  imports: [TypeOrmModule.forFeature([Account])],
  controllers: [AccountsController],
  providers: [
    AccountsService,
    AccountLifecycle,
    ConsoleSessionsService,
    SignInLinksService,
    AuthGuard,
    { provide: APP_GUARD, useExisting: AuthGuard },
  ],
  // AccountLifecycle: other modules subscribe to deactivations to end what they hold.
  // AuthGuard: http-app.ts runs it early for uploads, and the OpenAPI document asks it what is public.
  exports: [
    AccountsService,
    AccountLifecycle,
    ConsoleSessionsService,
    SignInLinksService,
    AuthGuard,
  ],
})
export class AccountsModule {}
