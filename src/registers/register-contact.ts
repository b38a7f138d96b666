import { Injectable } from '@nestjs/common';
import type { DataSource, EntityManager } from 'typeorm';
import { DataProtector } from '../common/crypto/data-protector.js';
import { UnreadableDataError } from '../common/crypto/owner-keys.js';
import { KeyRing } from '../keys/key-ring.service.js';
import { normaliseEmail } from '../signatories/email-normaliser.js';
import { EMAIL_PURPOSE } from '../signatures/signer-data.js';

/**
 * Bound into the encryption and the blind index of a register entry's email (and an
 * invitation's copy of it). Never change it: stored data depends on it.
 */
export const REGISTER_EMAIL_PURPOSE = 'register-entry.email';
/** Bound into an invitation's token while its mail is owed. */
export const INVITATION_TOKEN_PURPOSE = 'register-invitation.token';

/** An entry's email as stored: never in plain text. */
export interface ProtectedContact {
  encrypted: Buffer;
  /** Keyed blind index of the normalised address, under REGISTER_EMAIL_PURPOSE. */
  index: Buffer;
}

/**
 * Every use of the data protector for register contacts, in one place. A register is shared by
 * petitions, so its emails are protected under the service's key, not a petition's; a signer's
 * email is compared with an entry's through `signerIndexes` (decrypt, normalise, index under the
 * register purpose), which is the one function that reads how signatures store their email.
 */
@Injectable()
export class RegisterContacts {
  constructor(
    private readonly protector: DataProtector,
    private readonly keys: KeyRing,
  ) {}

  protect(email: string): ProtectedContact {
    const { address, canonical } = normaliseEmail(email);
    return {
      encrypted: this.protector.encrypt(address, REGISTER_EMAIL_PURPOSE),
      index: this.index(canonical),
    };
  }

  /** The register index of an already normalised (canonical) address. */
  index(canonical: string): Buffer {
    return this.protector.blindIndex(canonical, REGISTER_EMAIL_PURPOSE);
  }

  /** The address, to mail an invitation to. */
  reveal(encrypted: Buffer): string {
    return this.protector.decrypt(encrypted, REGISTER_EMAIL_PURPOSE);
  }

  /** An invitation's token, encrypted for its mail (the row is the outbox). */
  protectToken(token: string): Buffer {
    return this.protector.encrypt(token, INVITATION_TOKEN_PURPOSE);
  }

  revealToken(encrypted: Buffer): string {
    return this.protector.decrypt(encrypted, INVITATION_TOKEN_PURPOSE);
  }

  /** `k***@example.org`: all that is ever shown of an entry's email. */
  masked(encrypted: Buffer): string {
    return maskEmail(this.reveal(encrypted));
  }

  /**
   * For each of these signatures that has an email, that email's index under the register
   * purpose, so it compares with entries' `email_index`. Signatures without one are absent.
   */
  async signerIndexes(
    db: DataSource | EntityManager,
    signatureIds: readonly string[],
  ): Promise<Map<string, Buffer>> {
    if (signatureIds.length === 0) return new Map();
    const rows: Array<{ id: string; petition_id: string; email_encrypted: Buffer }> =
      await db.query(
        `SELECT s.id, s.petition_id, s.email_encrypted FROM signatures s
          WHERE s.id = ANY($1::uuid[]) AND s.email_encrypted IS NOT NULL`,
        [signatureIds],
      );
    const indexes = new Map<string, Buffer>();
    for (const row of rows) {
      // A signer's email is under its petition's key, bound to its row (see OwnerKeys).
      const keys = await this.keys.petitionKeys(row.petition_id);
      try {
        const address = keys?.decrypt(row.email_encrypted, EMAIL_PURPOSE, row.id);
        if (address) indexes.set(row.id, this.index(normaliseEmail(address).canonical));
      } catch (error) {
        if (!(error instanceof UnreadableDataError)) throw error; // unreadable: no email to compare
      }
    }
    return indexes;
  }

  /**
   * Which of these entry emails (encrypted, register purpose) already has a signature on the
   * petition, in any status but `expired`: by position. Compared by the signer's email index.
   */
  async signedOn(
    db: DataSource | EntityManager,
    petitionId: string,
    entryEmails: readonly Buffer[],
  ): Promise<boolean[]> {
    if (entryEmails.length === 0) return [];
    const keys = await this.keys.petitionKeys(petitionId);
    if (!keys) return entryEmails.map(() => false);
    // Compared by the signers' email index, which is under the petition's own key.
    const indexes = entryEmails.map((encrypted) =>
      keys.index(normaliseEmail(this.reveal(encrypted)).canonical, EMAIL_PURPOSE),
    );
    const rows: Array<{ email_index: Buffer }> = await db.query(
      `SELECT s.email_index FROM signatures s
        WHERE s.email_index = ANY($2::bytea[]) AND s.petition_id = $1 AND s.status <> 'expired'`,
      [petitionId, indexes],
    );
    const signed = new Set(rows.map((row) => row.email_index.toString('hex')));
    return indexes.map((index) => signed.has(index.toString('hex')));
  }
}

/** `anna@example.org` → `a***@example.org`. */
export function maskEmail(address: string): string {
  const at = address.lastIndexOf('@');
  if (at <= 0) return '***';
  return `${address.slice(0, 1)}***${address.slice(at)}`;
}
