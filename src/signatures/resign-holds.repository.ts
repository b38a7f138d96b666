import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { updateReturning } from '../database/update-returning.js';
import type { Restart } from './signature-transitions.service.js';

/**
 * A re-sign waits this long between mails: signing again with someone's address cannot flood
 * their mailbox, and a stranger cannot keep replacing what the owner was mailed.
 */
const REPLACE_AFTER_MINUTES = 60;

/** A re-sign held aside, as stored. */
export interface HoldRow {
  signature_id: string;
  full_name: string;
  name_key: string;
  district: string | null;
  title: string | null;
  display_publicly: boolean;
  comment: string | null;
  email_domain: string;
  email_encrypted: Buffer;
  source_index: Buffer;
  /** Null for holds made before per-petition keys. */
  source_global_encrypted: Buffer | null;
  user_agent_index: Buffer | null;
  language: string | null;
  token_hash: Buffer;
  token_expires_at: Date;
  requested_at: Date;
}

/**
 * Someone signing again a petition whose signature for that address was withdrawn. The
 * signature stays `withdrawn`, and nothing anyone can see moves, until the address's owner
 * confirms with the token mailed to it (or with the signature's earlier token); the request's
 * details wait here until then, or until the token expires. The row's `token_encrypted` holds
 * the new token meanwhile, as the outbox of the confirmation mail (see SignerMailService).
 */
@Injectable()
export class ResignHoldsRepository {
  constructor(private readonly dataSource: DataSource) {}

  /**
   * Holds a re-sign and owes its mail, if the signature is still withdrawn and has no hold newer
   * than REPLACE_AFTER_MINUTES. True when a mail is now owed. `sealed` holds the ciphertexts made
   * for the signature's row (see OwnerKeys).
   */
  async hold(
    signatureId: string,
    signer: Restart,
    sealed: { emailEncrypted: Buffer; tokenEncrypted: Buffer; sourceGlobalEncrypted: Buffer },
  ): Promise<boolean> {
    const rows = await updateReturning<{ id: string }>(
      this.dataSource,
      `WITH held AS (
         INSERT INTO signature_resign_holds AS h (signature_id, full_name, name_key, district,
           title, display_publicly, comment, email_domain, email_encrypted, source_index,
           user_agent_index, language, token_hash, token_expires_at, source_global_encrypted)
         SELECT s.id, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $17
           FROM signatures s WHERE s.id = $1 AND s.status = 'withdrawn'
         ON CONFLICT (signature_id) DO UPDATE SET
           full_name = EXCLUDED.full_name, name_key = EXCLUDED.name_key,
           district = EXCLUDED.district, title = EXCLUDED.title,
           display_publicly = EXCLUDED.display_publicly, comment = EXCLUDED.comment,
           email_domain = EXCLUDED.email_domain, email_encrypted = EXCLUDED.email_encrypted,
           source_index = EXCLUDED.source_index, user_agent_index = EXCLUDED.user_agent_index,
           source_global_encrypted = EXCLUDED.source_global_encrypted,
           language = EXCLUDED.language, token_hash = EXCLUDED.token_hash,
           token_expires_at = EXCLUDED.token_expires_at, requested_at = now()
         WHERE h.requested_at < now() - make_interval(mins => $16)
         RETURNING signature_id
       )
       UPDATE signatures s SET token_encrypted = $15, work_batch = NULL
         FROM held WHERE s.id = held.signature_id AND s.status = 'withdrawn'
       RETURNING s.id`,
      [
        signatureId,
        signer.fullName,
        signer.nameKey,
        signer.district,
        signer.title,
        signer.displayPublicly,
        signer.comment,
        signer.emailDomain,
        sealed.emailEncrypted,
        signer.sourceIndex,
        signer.userAgentIndex,
        signer.language,
        signer.tokenHash,
        signer.tokenExpiresAt,
        sealed.tokenEncrypted,
        REPLACE_AFTER_MINUTES,
        sealed.sourceGlobalEncrypted,
      ],
    );
    return rows.length > 0;
  }

  /** The hold a token names (the token mailed for it), if any. */
  async findByToken(tokenHash: Buffer): Promise<HoldRow | undefined> {
    const [row]: HoldRow[] = await this.dataSource.query(
      `SELECT * FROM signature_resign_holds WHERE token_hash = $1`,
      [tokenHash],
    );
    return row;
  }

  /** Whether the signature has a hold, and until when it may be confirmed. */
  async expiryOf(signatureId: string): Promise<Date | undefined> {
    const [row]: Array<{ token_expires_at: Date }> = await this.dataSource.query(
      `SELECT token_expires_at FROM signature_resign_holds WHERE signature_id = $1`,
      [signatureId],
    );
    return row?.token_expires_at;
  }

  /** Removes the signature's unexpired hold and returns it, for its owner's confirmation. */
  async take(signatureId: string, manager: EntityManager): Promise<HoldRow | undefined> {
    const [row] = await updateReturning<HoldRow>(
      manager,
      `DELETE FROM signature_resign_holds
        WHERE signature_id = $1 AND token_expires_at > now()
       RETURNING *`,
      [signatureId],
    );
    return row;
  }

  /**
   * Drops the signature's hold (its owner said no, or it expired), and the mail owed for it if
   * not sent yet. With `null`, every expired hold instead.
   */
  async discard(signatureId: string | null): Promise<number> {
    const rows: unknown[] = await this.dataSource.query(
      `WITH gone AS (
         DELETE FROM signature_resign_holds
          WHERE ($1::uuid IS NULL AND token_expires_at <= now()) OR signature_id = $1::uuid
         RETURNING signature_id
       ), unowed AS (
         UPDATE signatures s SET token_encrypted = NULL
           FROM gone WHERE s.id = gone.signature_id AND s.status = 'withdrawn'
       )
       SELECT signature_id FROM gone`,
      [signatureId],
    );
    return rows.length;
  }
}
