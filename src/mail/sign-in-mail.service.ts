import { Injectable } from '@nestjs/common';
import { UnrecoverableError } from 'bullmq';
import { DataSource } from 'typeorm';
import { SIGN_IN_TOKEN_PURPOSE } from '../accounts/sign-in-data.js';
import { DataProtector } from '../common/crypto/data-protector.js';
import { AppConfig } from '../config/app-config.js';
import { describeMailFailure, isPermanentMailFailure, MailerService } from './mailer.service.js';
import { signInMail } from './sign-in-mail.templates.js';

/**
 * Sends a console sign-in link. The link's row is the outbox: it holds the token encrypted until
 * the mail is out, then drops it. A link already used or expired gets no mail.
 */
@Injectable()
export class SignInMailService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly protector: DataProtector,
    private readonly mailer: MailerService,
    private readonly config: AppConfig,
  ) {}

  async send(linkId: string): Promise<'sent' | 'dropped' | 'not_owed'> {
    const [row]: Array<{
      email: string;
      token_encrypted: Buffer;
      language: string;
      expires_at: Date;
    }> = await this.dataSource.query(
      `SELECT a.email, l.token_encrypted, l.language, l.expires_at
         FROM sign_in_links l JOIN accounts a ON a.id = l.account_id
        WHERE l.id = $1 AND l.token_encrypted IS NOT NULL AND l.used_at IS NULL
          AND l.expires_at > now()`,
      [linkId],
    );
    if (!row) return 'not_owed';
    const token = this.protector.decrypt(row.token_encrypted, SIGN_IN_TOKEN_PURPOSE);
    const url = `${this.config.publicBaseUrl}/console/sign-in/link?token=${token}`;
    try {
      const mail = { to: row.email, ...signInMail(row.language, url, row.expires_at) };
      if ((await this.mailer.send(mail)) === 'dropped') {
        // Over the address's mail budget: no mail, and none owed; the page said the same anyway.
        await this.clear(linkId, false);
        return 'dropped';
      }
    } catch (error) {
      if (isPermanentMailFailure(error)) {
        await this.clear(linkId, true);
        throw new UnrecoverableError('the mail server refused the sign-in mail for good');
      }
      // Retried with backoff. No `cause`: the original would carry the server's words to Redis.
      // eslint-disable-next-line preserve-caught-error
      throw new Error(`the sign-in mail could not be sent yet: ${describeMailFailure(error)}`);
    }
    await this.clear(linkId, true);
    return 'sent';
  }

  private async clear(linkId: string, sent: boolean): Promise<void> {
    await this.dataSource.query(
      `UPDATE sign_in_links SET token_encrypted = NULL${sent ? ', mail_sent_at = now()' : ''}
        WHERE id = $1`,
      [linkId],
    );
  }
}
