import { Module } from '@nestjs/common';
import { ERROR_PAGES } from '../common/errors/error-pages.js';
import { AccountsModule } from '../accounts/accounts.module.js';
import { CountsModule } from '../counts/counts.module.js';
import { ConsoleAbuseModule } from './console/abuse/console-abuse.module.js';
import { ConsoleAccountsModule } from './console/accounts/console-accounts.module.js';
import { ConsoleModerationModule } from './console/moderation/console-moderation.module.js';
import { ConsolePetitionsModule } from './console/petitions/console-petitions.module.js';
import { ConsoleSessionController } from './console/console-session.controller.js';
import { InvitationsModule } from '../invitations/invitations.module.js';
import { PetitionsModule } from '../petitions/petitions.module.js';
import { SignaturesModule } from '../signatures/signatures.module.js';
import { AssetsController } from './assets.controller.js';
import { FormTokens } from './form-token.js';
import { PageErrors } from './page-errors.js';
import { PetitionPageService } from './petition-page.service.js';
import { PublicPagesController } from './public-pages.controller.js';
import { SignerPagesController } from './signer-pages.controller.js';

/** Server-rendered pages for the public and for signers, on the same services as the API. */
@Module({
  imports: [
    AccountsModule,
    PetitionsModule,
    SignaturesModule,
    InvitationsModule,
    CountsModule,
    ConsolePetitionsModule,
    ConsoleModerationModule,
    ConsoleAccountsModule,
    ConsoleAbuseModule,
  ],
  controllers: [
    PublicPagesController,
    SignerPagesController,
    AssetsController,
    ConsoleSessionController,
  ],
  providers: [
    PetitionPageService,
    FormTokens,
    PageErrors,
    { provide: ERROR_PAGES, useExisting: PageErrors },
  ],
  exports: [ERROR_PAGES],
})
export class WebModule {}
