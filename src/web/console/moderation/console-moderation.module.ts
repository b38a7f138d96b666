import { Module } from '@nestjs/common';
import { AccountsModule } from '../../../accounts/accounts.module.js';
import { ModerationModule } from '../../../moderation/moderation.module.js';
import { PetitionsModule } from '../../../petitions/petitions.module.js';
import { RegistersModule } from '../../../registers/registers.module.js';
import { ConsoleNames } from './console-names.js';
import { InvalidationPagesController } from './invalidation-pages.controller.js';
import { RegisterPagesController } from './register-pages.controller.js';
import { ReviewPagesController } from './review-pages.controller.js';
import { SignatureHistoryPagesController } from './signature-history-pages.controller.js';

/** The console's moderation pages: the review queue, signature histories, bulk invalidation, registers. */
@Module({
  imports: [AccountsModule, ModerationModule, PetitionsModule, RegistersModule],
  controllers: [
    ReviewPagesController,
    SignatureHistoryPagesController,
    InvalidationPagesController,
    RegisterPagesController,
  ],
  providers: [ConsoleNames],
})
export class ConsoleModerationModule {}
