import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { DataProtector } from '../common/crypto/data-protector.js';
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
import { EMAIL_PURPOSE, SOURCE_PURPOSE, TOKEN_PURPOSE, USER_AGENT_PURPOSE } from './signer-data.js';

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
    private readonly protector: DataProtector,
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
      const token = generateToken();
      const id = await this.signatures.insert(m, {
        petitionId: invitation.petition_id,
        invitationId: invitation.id,
        emailIndex: this.protector.blindIndex(email.canonical, EMAIL_PURPOSE),
        emailEncrypted: this.protector.encrypt(email.address, EMAIL_PURPOSE),
        signer: {
          fullName: invitation.full_name,
          nameKey: nameKey(invitation.full_name),
          district: invitation.district,
          title: emptyToNull(dto.title) ?? invitation.title,
          displayPublicly: dto.displayPublicly ?? false,
          comment: emptyToNull(dto.comment),
          emailDomain: email.domain,
          sourceIndex: this.protector.blindIndex(context.ip, SOURCE_PURPOSE),
          userAgentIndex: context.userAgent
            ? this.protector.blindIndex(context.userAgent, USER_AGENT_PURPOSE)
            : null,
          tokenHash: hashToken(token),
          tokenEncrypted: this.protector.encrypt(token, TOKEN_PURPOSE),
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
