import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { DomainError } from '../common/errors/domain-error.js';
import { KeyRing } from '../keys/key-ring.service.js';
import { generateToken, hashToken } from '../common/crypto/token.js';
import { Metrics } from '../common/metrics/metrics.js';
import { AppConfig } from '../config/app-config.js';
import { InvitationsRepository } from '../invitations/invitations.repository.js';
import { checkUsable } from '../invitations/invitations.service.js';
import { JobProducer } from '../queue/job-producer.js';
import { JobName } from '../queue/queue-names.js';
import { RegisterContacts } from '../registers/register-contact.js';
import { normaliseEmail } from '../signatories/email-normaliser.js';
import { nameKey } from '../signatories/name-key.js';
import { pickLanguage } from './accept-language.js';
import type { SignDto } from './dto/sign.dto.js';
import { InvitedSignaturesRepository } from './invited-signatures.repository.js';
import { SignLimits } from './sign-limits.service.js';
import type { SigningContext } from './signing.service.js';
import { SignatureStatus } from './signature-status.js';
import {
  EMAIL_PURPOSE,
  SOURCE_GLOBAL_PURPOSE,
  SOURCE_PURPOSE,
  TOKEN_PURPOSE,
  USER_AGENT_PURPOSE,
} from './signer-data.js';

/**
 * Signing through a register invitation (`invitation` in the sign body). The entry's name,
 * district and email are used (what the body gives for them is ignored); the title defaults to
 * the entry's. No confirmation mail: the signature starts `pending`, gets a receipt mail with its
 * withdraw link, and passes the register check as a strong match. The invitation is used up in
 * the same transaction, under its row lock, so two requests with one token sign once: the second
 * gets 409 invitation_used.
 */
@Injectable()
export class InvitationSigningService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly keys: KeyRing,
    private readonly contacts: RegisterContacts,
    private readonly invitations: InvitationsRepository,
    private readonly signatures: InvitedSignaturesRepository,
    private readonly producer: JobProducer,
    private readonly limits: SignLimits,
    private readonly config: AppConfig,
    private readonly metrics: Metrics,
  ) {}

  async sign(petitionRef: string, dto: SignDto, context: SigningContext): Promise<void> {
    await this.limits.check(petitionRef, context.ip);
    const tokenHash = hashToken(dto.invitation as string);
    const signatureId = await this.dataSource.transaction(async (m) => {
      const invitation = checkUsable(await this.invitations.lockByToken(m, tokenHash), petitionRef);
      const email = normaliseEmail(this.contacts.reveal(invitation.email_encrypted));
      const keys = await this.keys.petitionKeys(invitation.petition_id);
      if (!keys) throw new DomainError('petition_not_open', 'The petition is not open');
      const token = generateToken();
      const signatureId = randomUUID();
      const sourceGlobal = keys.globalIndex(context.ip, SOURCE_PURPOSE);
      const id = await this.signatures.insert(m, {
        petitionId: invitation.petition_id,
        signatureId,
        invitationId: invitation.id,
        emailIndex: keys.index(email.canonical, EMAIL_PURPOSE),
        signer: {
          fullName: invitation.full_name,
          nameKey: nameKey(invitation.full_name),
          district: invitation.district,
          title: emptyToNull(dto.title) ?? invitation.title,
          displayPublicly: dto.displayPublicly ?? false,
          comment: emptyToNull(dto.comment),
          emailDomain: email.domain,
          sourceIndex: keys.indexOfGlobal(sourceGlobal, SOURCE_PURPOSE),
          userAgentIndex: context.userAgent
            ? keys.index(context.userAgent, USER_AGENT_PURPOSE)
            : null,
          tokenHash: hashToken(token),
          // Bound to the new row (see OwnerKeys).
          emailEncrypted: keys.encrypt(email.address, EMAIL_PURPOSE, signatureId),
          sourceGlobalEncrypted: keys.encryptBytes(
            sourceGlobal,
            SOURCE_GLOBAL_PURPOSE,
            signatureId,
          ),
          tokenEncrypted: keys.encrypt(token, TOKEN_PURPOSE, signatureId),
          tokenExpiresAt: new Date(Date.now() + this.config.confirmationTtlHours * 3_600_000),
          language: pickLanguage(context.acceptLanguage) ?? invitation.language,
        },
      });
      // Used up even when this address had signed already: the answer is the same either way.
      await this.invitations.markUsed(m, invitation.id);
      return id;
    });
    if (signatureId === null) return;
    this.metrics.signatureTransitions.inc({ from: 'none', to: SignatureStatus.Pending });
    const job = { id: signatureId, payload: { signatureId } };
    this.producer.enqueueSoon(JobName.SendSignerMail, job);
    this.producer.enqueueSoon(JobName.VerifySignature, job);
  }
}

function emptyToNull(value: string | undefined): string | null {
  return value === undefined || value === '' ? null : value;
}
