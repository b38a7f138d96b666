import { Module } from '@nestjs/common';
import { MailProcessor } from './mail.processor.js';
import { MailerService } from './mailer.service.js';
import { SignInMailService } from './sign-in-mail.service.js';
import { SignerMailService } from './signer-mail.service.js';

/** The mail worker. Imported by the workers module. */
@Module({
  providers: [MailerService, SignerMailService, SignInMailService, MailProcessor],
})
export class MailModule {}
