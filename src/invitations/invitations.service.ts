import { Injectable, Logger } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { Principal } from '../common/auth/principal.js';
import { generateToken, hashToken } from '../common/crypto/token.js';
import { DomainError } from '../common/errors/domain-error.js';
import { assertOwnerOrModerator } from '../petitions/petition-access.js';
import { PetitionStatus } from '../petitions/petition-status.js';
import { PetitionsService } from '../petitions/petitions.service.js';
import { JobProducer } from '../queue/job-producer.js';
import { JobName } from '../queue/queue-names.js';
import { RegisterContacts } from '../registers/register-contact.js';
import type { InviteDto, InviteResponse } from './dto/invitation.dto.js';
import { type InvitationRow, InvitationsRepository } from './invitations.repository.js';

/** What an invitation link shows on the petition page before signing. */
export interface InvitationPreview {
  fullName: string;
  district: string | null;
}

/**
 * Register invitations: a personal link, mailed to each entry of the petition's register that has
 * an email, with which that person signs without a confirmation mail and verifies on the register
 * check at once. Tokens are stored only as hashes (and encrypted until the mail is out); one is
 * used once, and stops working when the petition closes.
 */
@Injectable()
export class InvitationsService {
  private readonly logger = new Logger(InvitationsService.name);

  constructor(
    private readonly dataSource: DataSource,
    private readonly petitions: PetitionsService,
    private readonly repository: InvitationsRepository,
    private readonly contacts: RegisterContacts,
    private readonly producer: JobProducer,
  ) {}

  /**
   * Invites every entry with an email, but those who signed the petition or were invited to it
   * in the last 24 hours. Runs for one petition at a time, so two clicks send one set of mails.
   */
  async invite(petitionRef: string, principal: Principal, dto: InviteDto): Promise<InviteResponse> {
    const petition = await this.petitions.getVisible(petitionRef, principal);
    assertOwnerOrModerator(petition, principal);
    if (dto.registerId !== undefined && dto.registerId !== petition.registerId) {
      throw new DomainError('validation_failed', 'The register is not the petition’s', [
        { field: 'registerId', message: 'must be the register the petition names' },
      ]);
    }
    if (petition.registerId === null) {
      throw new DomainError('petition_has_no_register', 'The petition names no register');
    }
    if (petition.status !== PetitionStatus.Open) {
      throw new DomainError('petition_not_open', `The petition is ${petition.status}, not open`);
    }
    const registerId = petition.registerId;
    const { ids, skipped } = await this.dataSource.transaction(async (m) => {
      await this.repository.lockPetition(m, petition.id);
      const entries = await this.repository.invitableEntries(m, registerId);
      const recent = await this.repository.invitedRecently(
        m,
        petition.id,
        entries.map((e) => e.email_index),
      );
      const signed = await this.contacts.signedOn(
        m,
        petition.id,
        entries.map((e) => e.email_encrypted),
      );
      const due = entries.filter(
        (e, i) => !signed[i] && !recent.has(e.email_index.toString('hex')),
      );
      const ids = await this.repository.insert(
        m,
        { id: petition.id, registerId, language: petition.language },
        principal.id,
        due.map((entry) => {
          const token = generateToken();
          return {
            entry,
            tokenHash: hashToken(token),
            tokenEncrypted: this.contacts.protectToken(token),
          };
        }),
      );
      return { ids, skipped: entries.length - due.length };
    });
    // After the commit. Should Redis be away, the invitations stay owed in their rows.
    await this.producer
      .enqueueMany(
        JobName.SendInvitationMail,
        ids.map((id) => ({ id, payload: { invitationId: id } })),
      )
      .catch((error: Error) => {
        this.logger.warn(`could not enqueue ${ids.length} invitation mail(s): ${error.message}`);
      });
    return { invited: ids.length, skipped };
  }

  /**
   * What the petition page shows for an invitation link: the invited person, or why the link
   * cannot be used (the same errors signing with it would give).
   */
  async preview(petitionRef: string, token: string): Promise<InvitationPreview> {
    const row = checkUsable(await this.repository.findByToken(hashToken(token)), petitionRef);
    return { fullName: row.full_name, district: row.district };
  }
}

/**
 * The invitation, if it can be used to sign this petition: unknown (or another petition's) →
 * 404 invalid_invitation; used → 409 invitation_used; its petition no longer open → 410
 * invitation_expired.
 */
export function checkUsable(row: InvitationRow | undefined, petitionRef: string): InvitationRow {
  if (!row || (row.petition_id !== petitionRef && row.petition_slug !== petitionRef)) {
    throw new DomainError('invalid_invitation', 'The invitation is not valid for this petition');
  }
  if (row.used_at !== null) {
    throw new DomainError('invitation_used', 'The invitation has already been used');
  }
  if (row.petition_status !== PetitionStatus.Open) {
    throw new DomainError('invitation_expired', 'The invitation expired when the petition closed');
  }
  return row;
}
