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
    { provide: APP_GUARD, useClass: AuthGuard },
  ],
  // AccountLifecycle: other modules subscribe to deactivations to end what they hold.
  exports: [AccountsService, AccountLifecycle, ConsoleSessionsService, SignInLinksService],
})
export class AccountsModule {}
