import { Module } from '@nestjs/common';
import { PetitionsModule } from '../petitions/petitions.module.js';
import { RegistersModule } from '../registers/registers.module.js';
import { InvitationMailSweeper } from './invitation-mail.sweeper.js';
import { InvitationsController } from './invitations.controller.js';
import { InvitationsRepository } from './invitations.repository.js';
import { InvitationsService } from './invitations.service.js';

/** Register invitations: sending them (API), and the lookups signing and the mail worker use. */
@Module({
  imports: [PetitionsModule, RegistersModule],
  controllers: [InvitationsController],
  providers: [InvitationsService, InvitationsRepository, InvitationMailSweeper],
  exports: [InvitationsService, InvitationsRepository, InvitationMailSweeper],
})
export class InvitationsModule {}
