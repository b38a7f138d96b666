import { Injectable, Logger } from '@nestjs/common';
import { UnrecoverableError } from 'bullmq';
import { DataSource } from 'typeorm';
import { InFlightBatcher } from '../common/batching/in-flight-batcher.js';
import { UnreadableDataError } from '../common/crypto/owner-keys.js';
import { AppConfig } from '../config/app-config.js';
import { KeyRing } from '../keys/key-ring.service.js';
import { MailLanguage } from '../petitions/petition-status.js';
import { EMAIL_PURPOSE, TOKEN_PURPOSE } from '../signatures/signer-data.js';
import { SignatureStatus } from '../signatures/signature-status.js';
import {
  describeMailFailure,
  isPermanentMailFailure,
  MailerService,
  type OutgoingMail,
} from './mailer.service.js';
import { importReceiptMail, signerMail } from './signer-mail.templates.js';

/** The encrypted token a mail was composed from: the row's outbox entry, as read. */
interface OwedToken {
  id: string;
  token: Buffer;
}

/** How many mails' database work is shared (see `send`). */
const BATCH = { maxBatch: 500, maxInFlight: 2 };

interface OutboxRow {
  id: string;
  petition_id: string;
  work_batch: string | null;
  status: SignatureStatus;
  origin: 'public' | 'import';
  language: MailLanguage;
  token_encrypted: Buffer | null;
  token_expires_at: Date | null;
  /** Null once a withdrawal erased it (withdrawal-erasure.ts) and nothing put it back. */
  email_encrypted: Buffer | null;
  /** A re-sign is held for this withdrawn signature: its confirmation mail is owed. */
  held: boolean;
  title: string;
}

/**
 * A mail is still owed in these. A rejected signer gets it too: its token is how they look up
 * why. A withdrawn or expired signature needs no mail, unless a re-sign is held for the withdrawn
 * one: then its confirmation mail is owed (see ResignHoldsRepository).
 */
const MAIL_OWED = new Set<SignatureStatus>([
  SignatureStatus.Unconfirmed,
  SignatureStatus.Pending,
  SignatureStatus.NeedsReview,
  SignatureStatus.Verified,
  SignatureStatus.Rejected,
]);

/**
 * Sends signers' mails, one per signature: the confirmation or receipt of one made online, or the
 * receipt of an imported one (with its withdraw link, for the address's owner). The signature row
 * is the outbox: while its mail is owed it holds the token encrypted; once the mail is out the
 * encrypted token is dropped, so a retried or repeated job sends nothing. (A crash between the SMTP hand-over and that update can
 * send the same mail twice; it can never send none.)
 */
@Injectable()
export class SignerMailService {
  private readonly logger = new Logger(SignerMailService.name);
  private readonly reads = new InFlightBatcher((ids: string[]) => this.readRows(ids), BATCH);
  private readonly marks = new InFlightBatcher(
    (t: OwedToken[]) => this.clearTokens(t, true),
    BATCH,
  );
  private readonly drops = new InFlightBatcher(
    (t: OwedToken[]) => this.clearTokens(t, false),
    BATCH,
  );

  constructor(
    private readonly dataSource: DataSource,
    private readonly keys: KeyRing,
    private readonly mailer: MailerService,
    private readonly config: AppConfig,
  ) {}

  /**
   * Sends the mail owed for this signature, if any. Each mail goes out on its own; only the
   * database work around it is shared with the mails being sent at the same moment: one query
   * reads their rows, one statement marks those sent.
   */
  async send(
    signatureId: string,
    workBatch?: string,
  ): Promise<'sent' | 'dropped' | 'nothing_owed'> {
    const row = await this.reads.add(signatureId);
    if (!row?.token_encrypted) return 'nothing_owed';
    // A batch job leaves a signature since handed to a job of its own (signed again) to that job.
    if (workBatch !== undefined && row.work_batch !== workBatch) return 'nothing_owed';
    const token = { id: row.id, token: row.token_encrypted };
    if (!(MAIL_OWED.has(row.status) || row.held) || row.email_encrypted === null) {
      await this.drops.add(token);
      return 'nothing_owed';
    }
    const mail = await this.compose(row);
    if (mail === null) {
      // Its ciphertexts do not open for this row (moved from another, or the keys are gone):
      // no mail can be composed, ever; stop owing it rather than retry.
      await this.drops.add(token);
      this.logger.warn({ msg: 'signer data unreadable: mail dropped', signatureId });
      throw new UnrecoverableError('the signature’s stored contact data could not be decrypted');
    }
    try {
      if ((await this.mailer.send(mail)) === 'dropped') {
        // Over the address's mail budget: the signature stays as it is, its mail is not owed.
        await this.drops.add(token);
        return 'dropped';
      }
    } catch (error) {
      if (!isPermanentMailFailure(error)) {
        // Retried with backoff. No `cause`: the original would carry the server's words to Redis.
        // eslint-disable-next-line preserve-caught-error
        throw new Error(describeMailFailure(error));
      }
      // The server refused this address for good: stop owing the mail; the signature expires.
      await this.drops.add(token);
      this.logger.warn({ msg: 'mail refused permanently', signatureId });
      throw new UnrecoverableError(describeMailFailure(error));
    }
    await this.marks.add(token);
    return 'sent';
  }

  private async readRows(signatureIds: string[]): Promise<Array<OutboxRow | undefined>> {
    const rows: OutboxRow[] = await this.dataSource.query(
      `SELECT s.id, s.petition_id, s.status, s.origin, s.work_batch, s.token_encrypted, p.title,
              -- A held re-sign (signature_resign_holds) is mailed with its own details (its
              -- ciphertexts are bound to the signature's row too).
              coalesce(h.language, s.language) AS language,
              coalesce(h.token_expires_at, s.token_expires_at) AS token_expires_at,
              coalesce(h.email_encrypted, s.email_encrypted) AS email_encrypted,
              (s.status = 'withdrawn' AND h.signature_id IS NOT NULL) AS held
         FROM signatures s
         JOIN petitions p ON p.id = s.petition_id
         LEFT JOIN signature_resign_holds h ON h.signature_id = s.id
        WHERE s.id = ANY($1::uuid[])`,
      [signatureIds],
    );
    const byId = new Map(rows.map((row) => [row.id, row]));
    return signatureIds.map((id) => byId.get(id));
  }

  /**
   * Clears the tokens, each only if it is still the one that was read: a signer who signed
   * again meanwhile has a new token, and a new mail owed, which must not be cleared with it.
   */
  private async clearTokens(tokens: OwedToken[], sent: boolean): Promise<void[]> {
    await this.dataSource.query(
      `UPDATE signatures s
          SET token_encrypted = NULL${sent ? ', mail_sent_at = now()' : ''}
         FROM unnest($1::uuid[], $2::bytea[]) AS x(id, token)
        WHERE s.id = x.id AND s.token_encrypted = x.token`,
      [tokens.map((t) => t.id), tokens.map((t) => t.token)],
    );
    return tokens.map(() => undefined);
  }

  /** The mail, or null when the row's ciphertexts do not open (see OwnerKeys). */
  private async compose(row: OutboxRow): Promise<OutgoingMail | null> {
    const keys = await this.keys.petitionKeys(row.petition_id);
    if (!keys || !row.email_encrypted) return null;
    let token: string;
    let to: string;
    try {
      token = keys.decrypt(row.token_encrypted as Buffer, TOKEN_PURPOSE, row.id);
      to = keys.decrypt(row.email_encrypted, EMAIL_PURPOSE, row.id);
    } catch (error) {
      if (error instanceof UnreadableDataError) return null;
      throw error;
    }
    const base = this.config.publicBaseUrl;
    const withdrawUrl = `${base}/signatures/withdraw?token=${token}`;
    if (row.origin === 'import' && !row.held) {
      return { to, ...importReceiptMail(row.language, { petitionTitle: row.title, withdrawUrl }) };
    }
    return {
      to,
      ...signerMail(row.language, {
        petitionTitle: row.title,
        confirm: row.status === SignatureStatus.Unconfirmed || row.held,
        confirmUrl: `${base}/signatures/confirm?token=${token}`,
        withdrawUrl,
        expiresAt: row.token_expires_at,
      }),
    };
  }
}
