import { Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { TypeOrmModule } from '@nestjs/typeorm';
import { Account } from './account.entity.js';
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
    ConsoleSessionsService,
    SignInLinksService,
    { provide: APP_GUARD, useClass: AuthGuard },
  ],
  exports: [AccountsService, ConsoleSessionsService, SignInLinksService],
})
export class AccountsModule {}
