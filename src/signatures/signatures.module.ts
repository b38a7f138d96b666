import { Module } from '@nestjs/common';
import { CountsModule } from '../counts/counts.module.js';
import { InvitationsModule } from '../invitations/invitations.module.js';
import { PetitionsModule } from '../petitions/petitions.module.js';
import { RegistersModule } from '../registers/registers.module.js';
import { GivenUpWorkController } from './given-up-work.controller.js';
import { ImportService } from './import.service.js';
import { PetitionSignaturesController } from './petition-signatures.controller.js';
import { SignatureExpiryService } from './signature-expiry.service.js';
import { SignatureListService } from './signature-list.service.js';
import { SignatureSweeper } from './signature-sweeper.service.js';
import { SignatureTransitionsModule } from './signature-transitions.module.js';
import { SignerActionsService } from './signer-actions.service.js';
import { SignerController } from './signer.controller.js';
import { SignLimits } from './sign-limits.service.js';
import { SigningService } from './signing.service.js';
import { InvitationSigningService } from './invitation-signing.service.js';
import { InvitedSignaturesRepository } from './invited-signatures.repository.js';
import { SignAgainService } from './sign-again.service.js';
import { ResignHoldsRepository } from './resign-holds.repository.js';
import { WorkRevivalsRepository } from './work-revivals.repository.js';

@Module({
  imports: [
    PetitionsModule,
    CountsModule,
    SignatureTransitionsModule,
    InvitationsModule,
    RegistersModule,
  ],
  controllers: [PetitionSignaturesController, SignerController, GivenUpWorkController],
  providers: [
    SigningService,
    InvitationSigningService,
    InvitedSignaturesRepository,
    SignLimits,
    SignAgainService,
    SignerActionsService,
    ImportService,
    SignatureListService,
    SignatureSweeper,
    SignatureExpiryService,
    WorkRevivalsRepository,
    ResignHoldsRepository,
  ],
  exports: [
    WorkRevivalsRepository,
    SignatureSweeper,
    SignatureExpiryService,
    SigningService,
    SignerActionsService,
    SignatureListService,
    ImportService,
  ],
})
export class SignaturesModule {}
