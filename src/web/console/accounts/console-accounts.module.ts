import { Module } from '@nestjs/common';
import { AccountsModule } from '../../../accounts/accounts.module.js';
import { ConsoleAccountsController } from './console-accounts.controller.js';

/** The console's account pages, for admins. */
@Module({
  imports: [AccountsModule],
  controllers: [ConsoleAccountsController],
})
export class ConsoleAccountsModule {}
