import { Module } from '@nestjs/common';
import { InvitationsModule } from '../invitations/invitations.module.js';
import { RegistersModule } from '../registers/registers.module.js';
import { InvitationMailService } from './invitation-mail.service.js';
import { MailProcessor } from './mail.processor.js';
import { MailerService } from './mailer.service.js';
import { SignInMailService } from './sign-in-mail.service.js';
import { SignerMailService } from './signer-mail.service.js';

/** The mail worker. Imported by the workers module. */
@Module({
  imports: [InvitationsModule, RegistersModule],
  providers: [
    MailerService,
    SignerMailService,
    SignInMailService,
    InvitationMailService,
    MailProcessor,
  ],
})
export class MailModule {}
