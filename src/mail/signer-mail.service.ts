import { Injectable, Logger } from '@nestjs/common';
import { UnrecoverableError } from 'bullmq';
import { DataSource } from 'typeorm';
import { DataProtector } from '../common/crypto/data-protector.js';
import { AppConfig } from '../config/app-config.js';
import { MailLanguage } from '../petitions/petition-status.js';
import { EMAIL_PURPOSE, TOKEN_PURPOSE } from '../signatures/signer-data.js';
import { SignatureStatus } from '../signatures/signature-status.js';
import { isPermanentMailFailure, MailerService } from './mailer.service.js';
import { signerMail } from './signer-mail.templates.js';

interface OutboxRow {
  status: SignatureStatus;
  language: MailLanguage;
  token_encrypted: Buffer | null;
  token_expires_at: Date | null;
  email_encrypted: Buffer;
  title: string;
}

/**
 * A mail is still owed in these. A rejected signer gets it too: its token is how they look up
 * why. A withdrawn or expired signature needs no mail.
 */
const MAIL_OWED = new Set<SignatureStatus>([
  SignatureStatus.Unconfirmed,
  SignatureStatus.Pending,
  SignatureStatus.NeedsReview,
  SignatureStatus.Verified,
  SignatureStatus.Rejected,
]);

/**
 * Sends a signer's one mail. The signature row is the outbox: while its mail is owed it holds
 * the token encrypted; once the mail is out the encrypted token is dropped, so a retried or
 * repeated job sends nothing. (A crash between the SMTP hand-over and that update can send the
 * same mail twice; it can never send none.)
 */
@Injectable()
export class SignerMailService {
  private readonly logger = new Logger(SignerMailService.name);

  constructor(
    private readonly dataSource: DataSource,
    private readonly protector: DataProtector,
    private readonly mailer: MailerService,
    private readonly config: AppConfig,
  ) {}

  async send(signatureId: string): Promise<'sent' | 'nothing_owed'> {
    const [row]: OutboxRow[] = await this.dataSource.query(
      `SELECT s.status, s.language, s.token_encrypted, s.token_expires_at,
              g.email_encrypted, p.title
         FROM signatures s
         JOIN signatories g ON g.id = s.signatory_id
         JOIN petitions p ON p.id = s.petition_id
        WHERE s.id = $1`,
      [signatureId],
    );
    if (!row?.token_encrypted) return 'nothing_owed';
    if (!MAIL_OWED.has(row.status)) {
      await this.dropToken(signatureId);
      return 'nothing_owed';
    }

    const token = this.protector.decrypt(row.token_encrypted, TOKEN_PURPOSE);
    const base = this.config.publicBaseUrl;
    const mail = signerMail(row.language, {
      petitionTitle: row.title,
      confirm: row.status === SignatureStatus.Unconfirmed,
      confirmUrl: `${base}/signatures/confirm?token=${token}`,
      withdrawUrl: `${base}/signatures/withdraw?token=${token}`,
      expiresAt: row.token_expires_at,
    });
    try {
      await this.mailer.send({
        to: this.protector.decrypt(row.email_encrypted, EMAIL_PURPOSE),
        ...mail,
      });
    } catch (error) {
      if (!isPermanentMailFailure(error)) {
        // Retried with backoff. No `cause`: the original would carry the server's words to Redis.
        // eslint-disable-next-line preserve-caught-error
        throw new Error(describeMailFailure(error));
      }
      // The server refused this address for good: stop owing the mail; the signature expires.
      await this.dropToken(signatureId);
      this.logger.warn({ msg: 'mail refused permanently', signatureId });
      throw new UnrecoverableError(describeMailFailure(error));
    }
    await this.dataSource.query(
      `UPDATE signatures SET mail_sent_at = now(), token_encrypted = NULL WHERE id = $1`,
      [signatureId],
    );
    return 'sent';
  }

  private async dropToken(signatureId: string): Promise<void> {
    await this.dataSource.query(`UPDATE signatures SET token_encrypted = NULL WHERE id = $1`, [
      signatureId,
    ]);
  }
}

/**
 * What went wrong, without the SMTP server's own words: its replies often quote the recipient's
 * address, and BullMQ keeps a failed job's message and stack in Redis.
 */
function describeMailFailure(error: unknown): string {
  const { code, responseCode, command } = (error ?? {}) as {
    code?: unknown;
    responseCode?: unknown;
    command?: unknown;
  };
  const parts = [
    typeof code === 'string' ? `code ${code}` : null,
    typeof responseCode === 'number' ? `SMTP ${responseCode}` : null,
    typeof command === 'string' ? `during ${command.split(' ')[0]}` : null,
  ].filter((part) => part !== null);
  return `mail delivery failed${parts.length > 0 ? ` (${parts.join(', ')})` : ''}`;
}
