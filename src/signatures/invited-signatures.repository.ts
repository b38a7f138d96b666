import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { deltaColumns, pickShard, shardUpsertSql } from '../counts/count-shards.js';
import type { Restart } from './signature-transitions.service.js';
import { SignatureStatus } from './signature-status.js';

/** What a signature made through a register invitation is written with. */
export interface InvitedSignature {
  petitionId: string;
  /** Made by the service: the ciphertexts in `signer` are bound to it. */
  signatureId: string;
  invitationId: string;
  emailIndex: Buffer;
  signer: Restart;
}

/**
 * Writes a signature made through a register invitation: as a public one (one signature per
 * email index and petition, the event, the count), but
 * `pending` at once — the invitation reached the entry's mailbox, which is what a confirmation
 * proves — and naming its invitation. Apart from the batched sign statement on purpose: it is
 * rare, and runs in the transaction that uses the invitation up.
 */
@Injectable()
export class InvitedSignaturesRepository {
  /** The new signature's id, or null when this email had already signed the petition. */
  async insert(m: EntityManager, s: InvitedSignature): Promise<string | null> {
    const rows: Array<{ id: string }> = await m.query(
      `WITH sig AS (
         INSERT INTO signatures (id, petition_id, email_index, email_encrypted, status, origin,
           full_name, name_key, district, title, display_publicly, comment, email_domain,
           source_index, user_agent_index, token_hash, token_encrypted, token_expires_at, language,
           invitation_id, confirmed_at, source_global_encrypted)
         VALUES ($19, $1, $2, $3, 'pending', 'public', $4, $5, $6, $7, $8, $9, $10, $11, $12, $13,
                $14, $15, $16, $17, now(), $20)
         ON CONFLICT (petition_id, email_index) WHERE origin = 'public' DO NOTHING
         RETURNING id, petition_id
       ), events AS (
         INSERT INTO signature_events (signature_id, from_status, to_status, actor_type, note)
         SELECT id, NULL, 'pending', 'signer', 'Signed through a register invitation' FROM sig
       ), counted AS (
         ${shardUpsertSql(
           `SELECT petition_id, ${deltaColumns({ [SignatureStatus.Pending]: 'count(*)' })}
              FROM sig GROUP BY petition_id`,
           '$18',
         )}
       )
       SELECT id FROM sig`,
      [
        s.petitionId,
        s.emailIndex,
        s.signer.emailEncrypted,
        s.signer.fullName,
        s.signer.nameKey,
        s.signer.district,
        s.signer.title,
        s.signer.displayPublicly,
        s.signer.comment,
        s.signer.emailDomain,
        s.signer.sourceIndex,
        s.signer.userAgentIndex,
        s.signer.tokenHash,
        s.signer.tokenEncrypted,
        s.signer.tokenExpiresAt,
        s.signer.language,
        s.invitationId,
        pickShard(),
        s.signatureId,
        s.signer.sourceGlobalEncrypted,
      ],
    );
    return rows[0]?.id ?? null;
  }
}
