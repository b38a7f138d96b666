import { Module } from '@nestjs/common';
import { AbuseModule } from '../../../abuse/abuse.module.js';
import { AccountsModule } from '../../../accounts/accounts.module.js';
import { PetitionsModule } from '../../../petitions/petitions.module.js';
import { ConsoleNames } from '../moderation/console-names.js';
import { AlertPagesController } from './alert-pages.controller.js';
import { BlockPagesController } from './block-pages.controller.js';

/** The console's pages for blocks and trending alerts (moderators). */
@Module({
  imports: [AccountsModule, PetitionsModule, AbuseModule],
  controllers: [BlockPagesController, AlertPagesController],
  providers: [ConsoleNames],
})
export class ConsoleAbuseModule {}
