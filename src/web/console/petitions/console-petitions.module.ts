import { Module } from '@nestjs/common';
import { AccountsModule } from '../../../accounts/accounts.module.js';
import { CountsModule } from '../../../counts/counts.module.js';
import { InvitationsModule } from '../../../invitations/invitations.module.js';
import { PetitionsModule } from '../../../petitions/petitions.module.js';
import { RegistersModule } from '../../../registers/registers.module.js';
import { SignaturesModule } from '../../../signatures/signatures.module.js';
import { ConsolePetitionActionsController } from './console-petition-actions.controller.js';
import { ConsolePetitionController } from './console-petition.controller.js';
import { ConsolePetitionsController } from './console-petitions.controller.js';
import { ImportReports } from './import-report.js';
import { PetitionConsoleService } from './petition-console.service.js';
import { PetitionPages } from './petition-pages.js';

/** The console's petitions pages. */
@Module({
  imports: [
    AccountsModule,
    PetitionsModule,
    SignaturesModule,
    CountsModule,
    RegistersModule,
    InvitationsModule,
  ],
  controllers: [
    ConsolePetitionsController,
    ConsolePetitionActionsController,
    ConsolePetitionController,
  ],
  providers: [PetitionConsoleService, PetitionPages, ImportReports],
})
export class ConsolePetitionsModule {}
