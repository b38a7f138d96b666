import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { hashToken } from '../common/crypto/token.js';
import { DomainError } from '../common/errors/domain-error.js';
import { PetitionStatus } from '../petitions/petition-status.js';
import { JobProducer } from '../queue/job-producer.js';
import { JobName } from '../queue/queue-names.js';
import type { SignatureLookupResponse } from './dto/signer-token.dto.js';
import { SignatureActor, SignatureStatus } from './signature-status.js';
import { ResignHoldsRepository } from './resign-holds.repository.js';
import { SignatureTransitionsService } from './signature-transitions.service.js';

interface TokenRow {
  id: string;
  petition_id: string;
  status: SignatureStatus;
  reason_code: string | null;
  updated_at: Date;
  token_expires_at: Date | null;
  language: string;
  petition_status: PetitionStatus;
  petition_slug: string;
  petition_title: string;
  /**
   * Set when the token is the one mailed for a re-sign held on this withdrawn signature (see
   * ResignHoldsRepository): to its holder the re-sign looks like an unconfirmed signature.
   */
  hold?: { expiresAt: Date; requestedAt: Date };
}

/** What a signer's pages show about their signature, found by its token. */
export interface SignerSignature {
  status: SignatureStatus;
  reasonCode: string | null;
  /** The signature's language (the signer's when they signed), for its pages. */
  language: string;
  /** True while it may still be confirmed: unconfirmed, within its time, petition open. */
  confirmable: boolean;
  /** True while the signer may withdraw it. */
  withdrawable: boolean;
  /** The time to confirm has passed (it is expired, or will be at the next sweep). */
  confirmationLapsed: boolean;
  petition: { slug: string; title: string; open: boolean };
}

const WITHDRAWABLE: ReadonlySet<SignatureStatus> = new Set([
  SignatureStatus.Unconfirmed,
  SignatureStatus.Pending,
  SignatureStatus.NeedsReview,
  SignatureStatus.Verified,
]);

/** A status change raced with another; re-reading and trying again settles it. */
const ATTEMPTS = 3;

/**
 * What a signer does with the token from their mail. The token is looked up by its hash only.
 * Its expiry bounds confirmation; withdrawal and lookup keep working with it afterwards.
 */
@Injectable()
export class SignerActionsService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly transitions: SignatureTransitionsService,
    private readonly producer: JobProducer,
    private readonly holds: ResignHoldsRepository,
  ) {}

  async confirm(token: string): Promise<SignatureStatus> {
    for (let attempt = 0; attempt < ATTEMPTS; attempt++) {
      const row = await this.find(token);
      if (row.status === SignatureStatus.Withdrawn) {
        // Its owner's token: the one mailed for a held re-sign, or the signature's earlier one.
        const expiresAt = row.hold?.expiresAt ?? (await this.holds.expiryOf(row.id));
        if (expiresAt === undefined) return row.status; // nothing to confirm
        if (expiresAt.getTime() <= Date.now()) throw tokenExpired();
        assertOpen(row);
        if (await this.bringBack(row.id)) return SignatureStatus.Pending;
        continue;
      }
      if (row.status === SignatureStatus.Expired) throw tokenExpired();
      if (row.status !== SignatureStatus.Unconfirmed) return row.status; // confirming twice is fine
      if (row.token_expires_at && row.token_expires_at.getTime() <= Date.now())
        throw tokenExpired();
      assertOpen(row);
      const moved = await this.transitions.move({
        from: SignatureStatus.Unconfirmed,
        to: SignatureStatus.Pending,
        actor: SignatureActor.Signer,
        items: [{ id: row.id }],
      });
      if (moved.length > 0) {
        this.producer.enqueueSoon(JobName.VerifySignature, {
          id: row.id,
          payload: { signatureId: row.id },
        });
        return SignatureStatus.Pending;
      }
    }
    throw new DomainError('invalid_transition', 'The signature is changing; try again');
  }

  /**
   * A withdrawn signature back to `pending`, with what its held re-sign sent, and through the
   * checks; false if the hold or the status changed meanwhile.
   */
  private async bringBack(signatureId: string): Promise<boolean> {
    const moved = await this.dataSource
      .transaction(async (m) => {
        const hold = await this.holds.take(signatureId, m);
        if (!hold) return false;
        const rows = await this.transitions.move(
          {
            from: SignatureStatus.Withdrawn,
            to: SignatureStatus.Pending,
            actor: SignatureActor.Signer,
            note: 'signed again, confirmed',
            items: [{ id: signatureId }],
            restart: {
              fullName: hold.full_name,
              nameKey: hold.name_key,
              district: hold.district,
              title: hold.title,
              displayPublicly: hold.display_publicly,
              comment: hold.comment,
              emailDomain: hold.email_domain,
              sourceIndex: hold.source_index,
              // Bound to this signature's row when the re-sign was held.
              sourceGlobalEncrypted: hold.source_global_encrypted,
              emailEncrypted: hold.email_encrypted,
              userAgentIndex: hold.user_agent_index,
              tokenHash: hold.token_hash,
              tokenEncrypted: null, // its mail was the one just confirmed
              tokenExpiresAt: hold.token_expires_at,
              language: hold.language,
            },
          },
          m,
        );
        if (rows.length === 0) throw new RetryWithdrawnMove();
        return true;
      })
      .catch((error: unknown) => {
        if (error instanceof RetryWithdrawnMove) return false;
        throw error;
      });
    if (moved) {
      this.producer.enqueueSoon(JobName.VerifySignature, {
        id: signatureId,
        payload: { signatureId },
      });
    }
    return moved;
  }

  async withdraw(token: string): Promise<SignatureStatus> {
    for (let attempt = 0; attempt < ATTEMPTS; attempt++) {
      const row = await this.find(token);
      if (row.status === SignatureStatus.Withdrawn) {
        // Its owner says no to a re-sign held for it (or withdraws again): it is dropped.
        await this.holds.discard(row.id);
        return row.status;
      }
      if (row.status === SignatureStatus.Rejected || row.status === SignatureStatus.Expired) {
        throw new DomainError(
          'invalid_transition',
          `The signature is ${row.status} and cannot be withdrawn`,
        );
      }
      assertOpen(row);
      const moved = await this.transitions.move({
        from: row.status,
        to: SignatureStatus.Withdrawn,
        actor: SignatureActor.Signer,
        reasonCode: 'signer_request',
        items: [{ id: row.id }],
      });
      if (moved.length > 0) return SignatureStatus.Withdrawn;
    }
    throw new DomainError('invalid_transition', 'The signature is changing; try again');
  }

  async lookup(token: string): Promise<SignatureLookupResponse> {
    const row = await this.find(token);
    if (row.hold) {
      return {
        status: SignatureStatus.Unconfirmed,
        petitionId: row.petition_id,
        reasonCode: null,
        updatedAt: row.hold.requestedAt.toISOString(),
      };
    }
    return {
      status: row.status,
      petitionId: row.petition_id,
      reasonCode: row.reason_code,
      updatedAt: row.updated_at.toISOString(),
    };
  }

  /** The signature a token names, as its signer's pages show it; changes nothing. */
  async describe(token: string): Promise<SignerSignature> {
    const row = await this.find(token);
    const open = row.petition_status === PetitionStatus.Open;
    if (row.hold) {
      const lapsed = row.hold.expiresAt.getTime() <= Date.now();
      return {
        status: SignatureStatus.Unconfirmed,
        reasonCode: null,
        language: row.language,
        confirmable: open && !lapsed,
        withdrawable: open,
        confirmationLapsed: lapsed,
        petition: { slug: row.petition_slug, title: row.petition_title, open },
      };
    }
    const lapsed =
      row.status === SignatureStatus.Expired ||
      (row.status === SignatureStatus.Unconfirmed &&
        row.token_expires_at !== null &&
        row.token_expires_at.getTime() <= Date.now());
    return {
      status: row.status,
      reasonCode: row.reason_code,
      language: row.language,
      confirmable: open && row.status === SignatureStatus.Unconfirmed && !lapsed,
      withdrawable: open && WITHDRAWABLE.has(row.status),
      confirmationLapsed: lapsed,
      petition: { slug: row.petition_slug, title: row.petition_title, open },
    };
  }

  private async find(token: string): Promise<TokenRow> {
    const tokenHash = hashToken(token);
    const select = (where: string, id: Buffer | string) =>
      this.dataSource.query(
        `SELECT s.id, s.petition_id, s.status, s.reason_code, s.updated_at, s.token_expires_at,
                s.language, p.status AS petition_status, p.slug AS petition_slug,
                p.title AS petition_title
           FROM signatures s JOIN petitions p ON p.id = s.petition_id
          WHERE ${where} = $1`,
        [id],
      ) as Promise<TokenRow[]>;
    const [row] = await select('s.token_hash', tokenHash);
    if (row) return row;
    // Not a signature's token: perhaps the one mailed for a held re-sign (rare, so looked for
    // only after the usual case).
    const hold = await this.holds.findByToken(tokenHash);
    const [held] = hold ? await select('s.id', hold.signature_id) : [];
    if (!hold || held?.status !== SignatureStatus.Withdrawn) {
      throw new DomainError('invalid_token', 'The token is unknown');
    }
    return {
      ...held,
      language: hold.language ?? held.language,
      hold: { expiresAt: hold.token_expires_at, requestedAt: hold.requested_at },
    };
  }
}

/** A held re-sign was taken but its signature had moved on: undo, re-read, try again. */
class RetryWithdrawnMove extends Error {}

function tokenExpired(): DomainError {
  return new DomainError('token_expired', 'The time to confirm this signature has passed');
}

function assertOpen(row: TokenRow): void {
  if (row.petition_status !== PetitionStatus.Open) {
    throw new DomainError('petition_not_open', `The petition is ${row.petition_status}, not open`);
  }
}
