import { Injectable, Logger } from '@nestjs/common';
import { UnrecoverableError } from 'bullmq';
import { AppConfig } from '../config/app-config.js';
import { InvitationsRepository } from '../invitations/invitations.repository.js';
import { RegisterContacts } from '../registers/register-contact.js';
import { invitationMail } from './invitation-mail.templates.js';
import { describeMailFailure, isPermanentMailFailure, MailerService } from './mailer.service.js';

/**
 * Sends a register invitation. The invitation's row is the outbox: it holds the token encrypted
 * until the mail is out, then drops it (the hash stays, so the link works). An invitation already
 * used, or whose petition closed, gets no mail. Over MAIL_LIMIT_PER_ADDRESS the mail is dropped
 * and not owed; a temporary SMTP failure is retried with the queue's backoff.
 */
@Injectable()
export class InvitationMailService {
  private readonly logger = new Logger(InvitationMailService.name);

  constructor(
    private readonly invitations: InvitationsRepository,
    private readonly contacts: RegisterContacts,
    private readonly mailer: MailerService,
    private readonly config: AppConfig,
  ) {}

  async send(invitationId: string): Promise<'sent' | 'dropped' | 'not_owed'> {
    const row = await this.invitations.owedMail(invitationId);
    if (!row) return 'not_owed';
    const token = this.contacts.revealToken(row.token_encrypted);
    const url = `${this.config.publicBaseUrl}/petitions/${row.petition_slug}?invitation=${token}`;
    const mail = {
      to: this.contacts.reveal(row.email_encrypted),
      ...invitationMail(row.language, {
        fullName: row.full_name,
        petitionTitle: row.petition_title,
        url,
      }),
    };
    try {
      if ((await this.mailer.send(mail)) === 'dropped') {
        await this.invitations.clearOutbox(invitationId, false);
        return 'dropped';
      }
    } catch (error) {
      if (isPermanentMailFailure(error)) {
        await this.invitations.clearOutbox(invitationId, false);
        this.logger.warn({ msg: 'invitation mail refused permanently', invitationId });
        throw new UnrecoverableError(describeMailFailure(error));
      }
      // Retried with backoff. No `cause`: the original would carry the server's words to Redis.
      // eslint-disable-next-line preserve-caught-error
      throw new Error(`the invitation mail could not be sent yet: ${describeMailFailure(error)}`);
    }
    await this.invitations.clearOutbox(invitationId, true);
    return 'sent';
  }
}
