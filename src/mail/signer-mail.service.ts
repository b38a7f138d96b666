import { Injectable, Logger } from '@nestjs/common';
import { UnrecoverableError } from 'bullmq';
import { DataSource } from 'typeorm';
import { DataProtector } from '../common/crypto/data-protector.js';
import { AppConfig } from '../config/app-config.js';
import { MailLanguage } from '../petitions/petition-status.js';
import { EMAIL_PURPOSE, TOKEN_PURPOSE } from '../signatures/signer-data.js';
import { SignatureStatus } from '../signatures/signature-status.js';
import { isPermanentMailFailure, MailerService, type OutgoingMail } from './mailer.service.js';
import { signerMail } from './signer-mail.templates.js';

/** What became of one signature's mail: sent, not owed (any more), or an error for its job. */
export type MailOutcome = 'sent' | 'nothing_owed' | Error;

interface OutboxRow {
  id: string;
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
 * Sends signers' mails, one per signature. The signature row is the outbox: while its mail is
 * owed it holds the token encrypted; once the mail is out the encrypted token is dropped, so a
 * retried or repeated job sends nothing. (A crash between the SMTP hand-over and that update can
 * send the same mail twice; it can never send none.)
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

  /**
   * Sends the mails owed for these signatures: one query reads them all, the mails go out side
   * by side, and one statement marks those sent. Each id gets its own outcome; an Error is thrown
   * by its job (an UnrecoverableError when the server refused the address for good).
   */
  async sendMany(signatureIds: readonly string[]): Promise<MailOutcome[]> {
    const rows: OutboxRow[] = await this.dataSource.query(
      `SELECT s.id, s.status, s.language, s.token_encrypted, s.token_expires_at,
              g.email_encrypted, p.title
         FROM signatures s
         JOIN signatories g ON g.id = s.signatory_id
         JOIN petitions p ON p.id = s.petition_id
        WHERE s.id = ANY($1::uuid[])`,
      [signatureIds],
    );
    const owed = new Map(rows.filter((row) => row.token_encrypted).map((row) => [row.id, row]));
    const outcomes = new Map<string, MailOutcome>();
    const noLongerOwed: string[] = [];
    const sent: string[] = [];
    await Promise.all(
      [...owed.values()].map(async (row) => {
        if (!MAIL_OWED.has(row.status)) {
          noLongerOwed.push(row.id);
          outcomes.set(row.id, 'nothing_owed');
          return;
        }
        try {
          await this.mailer.send(this.compose(row));
          sent.push(row.id);
          outcomes.set(row.id, 'sent');
        } catch (error) {
          if (!isPermanentMailFailure(error)) {
            // Retried with backoff. No `cause`: the original would carry the server's words to Redis.
            outcomes.set(row.id, new Error(describeMailFailure(error)));
            return;
          }
          // The server refused this address for good: stop owing the mail; the signature expires.
          noLongerOwed.push(row.id);
          this.logger.warn({ msg: 'mail refused permanently', signatureId: row.id });
          outcomes.set(row.id, new UnrecoverableError(describeMailFailure(error)));
        }
      }),
    );
    if (sent.length > 0) {
      await this.dataSource.query(
        `UPDATE signatures SET mail_sent_at = now(), token_encrypted = NULL
          WHERE id = ANY($1::uuid[])`,
        [sent],
      );
    }
    if (noLongerOwed.length > 0) {
      await this.dataSource.query(
        `UPDATE signatures SET token_encrypted = NULL WHERE id = ANY($1::uuid[])`,
        [noLongerOwed],
      );
    }
    return signatureIds.map((id) => outcomes.get(id) ?? 'nothing_owed');
  }

  private compose(row: OutboxRow): OutgoingMail {
    const token = this.protector.decrypt(row.token_encrypted as Buffer, TOKEN_PURPOSE);
    const base = this.config.publicBaseUrl;
    return {
      to: this.protector.decrypt(row.email_encrypted, EMAIL_PURPOSE),
      ...signerMail(row.language, {
        petitionTitle: row.title,
        confirm: row.status === SignatureStatus.Unconfirmed,
        confirmUrl: `${base}/signatures/confirm?token=${token}`,
        withdrawUrl: `${base}/signatures/withdraw?token=${token}`,
        expiresAt: row.token_expires_at,
      }),
    };
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
