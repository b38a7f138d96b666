import { Injectable, Logger } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { updateReturning } from '../database/update-returning.js';
import { JobProducer } from '../queue/job-producer.js';
import { JobName } from '../queue/queue-names.js';
import {
  RESTARTABLE_SIGNATURE_STATUSES,
  SignatureActor,
  SignatureStatus,
} from './signature-status.js';
import { ResignHoldsRepository } from './resign-holds.repository.js';
import { type Restart, SignatureTransitionsService } from './signature-transitions.service.js';

/**
 * An unconfirmed signer may ask again for their mail at most this often, so signing again cannot
 * be used to flood someone's mailbox.
 */
const RESEND_AFTER_MINUTES = 60;

interface ExistingRow {
  id: string;
  status: SignatureStatus;
}

/**
 * When someone signs a petition they already signed. The answer stays the same as for a first
 * signature (the caller does not learn which case it was), and this runs only after it was sent
 * (see SigningService), so its queries do not make a repeat slower to answer. What happens
 * depends on the signature:
 * - expired: it starts over with what was just sent, a new token and a new mail;
 * - withdrawn: nothing moves (a withdrawal is final for the petition's open life, unless the
 *   address's owner says otherwise): the re-sign is held with a new token, and a confirmation
 *   mail goes to the address; only confirming it (or using the signature's earlier token) brings
 *   the signature back, to `pending` and through the checks. This holds with or without email
 *   confirmation on the petition, so a stranger who knows the address revives nothing and
 *   moves no count;
 * - unconfirmed, its mail sent over an hour ago (perhaps lost to a spam folder): a new token and
 *   the mail again; the old links stop working;
 * - anything else: nothing.
 */
@Injectable()
export class SignAgainService {
  private readonly logger = new Logger(SignAgainService.name);

  constructor(
    private readonly dataSource: DataSource,
    private readonly transitions: SignatureTransitionsService,
    private readonly producer: JobProducer,
    private readonly holds: ResignHoldsRepository,
  ) {}

  /**
   * `seal` makes the new ciphertexts for the existing row: ciphertexts are bound to their row, so
   * the ones made for the signature that was not inserted would not open there.
   */
  async signAgain(
    petitionId: string,
    requireConfirmation: boolean,
    emailIndex: Buffer,
    signer: Restart,
    seal: (rowId: string) => {
      emailEncrypted: Buffer;
      tokenEncrypted: Buffer;
      sourceGlobalEncrypted: Buffer;
    },
  ): Promise<void> {
    try {
      const [existing]: ExistingRow[] = await this.dataSource.query(
        `SELECT s.id, s.status FROM signatures s
          WHERE s.petition_id = $1 AND s.email_index = $2 AND s.origin = 'public'`,
        [petitionId, emailIndex],
      );
      if (!existing) return;
      if (existing.status === SignatureStatus.Withdrawn) {
        if (await this.holds.hold(existing.id, signer, seal(existing.id))) {
          this.mailAgain(existing.id);
        }
      } else if (RESTARTABLE_SIGNATURE_STATUSES.includes(existing.status)) {
        const to = requireConfirmation ? SignatureStatus.Unconfirmed : SignatureStatus.Pending;
        const moved = await this.transitions.move({
          from: existing.status,
          to,
          actor: SignatureActor.Signer,
          note: 'signed again',
          items: [{ id: existing.id }],
          restart: { ...signer, ...seal(existing.id) },
        });
        if (moved.length === 0) return;
        this.mailAgain(existing.id);
        if (to === SignatureStatus.Pending) {
          this.producer.enqueueSoon(JobName.VerifySignature, {
            id: existing.id,
            payload: { signatureId: existing.id },
          });
        }
      } else if (existing.status === SignatureStatus.Unconfirmed) {
        const resent = await updateReturning<{ id: string }>(
          this.dataSource,
          `UPDATE signatures SET token_hash = $2, token_encrypted = $3, token_expires_at = $4,
                  mail_sent_at = NULL, work_batch = NULL, updated_at = now()
            WHERE id = $1 AND status = 'unconfirmed' AND token_encrypted IS NULL
              AND mail_sent_at < now() - make_interval(mins => $5)
           RETURNING id`,
          [
            existing.id,
            signer.tokenHash,
            seal(existing.id).tokenEncrypted,
            signer.tokenExpiresAt,
            RESEND_AFTER_MINUTES,
          ],
        );
        if (resent.length > 0) this.mailAgain(existing.id);
      }
    } catch (error) {
      // The signer's answer must not differ from a first signature's: log, and let the sweeper
      // send any mail that is now owed.
      this.logger.warn(`signing again failed: ${(error as Error).message}`);
    }
  }

  private mailAgain(signatureId: string): void {
    this.producer.enqueueSoon(JobName.SendSignerMail, {
      id: signatureId,
      payload: { signatureId },
    });
  }
}
