import { Processor, WorkerHost } from '@nestjs/bullmq';
import { Logger } from '@nestjs/common';
import { Job, UnrecoverableError } from 'bullmq';
import { AlertsService } from '../abuse/alerts.service.js';
import { CountHistoryService } from '../counts/count-history.service.js';
import { CountsService } from '../counts/counts.service.js';
import { InvitationMailSweeper } from '../invitations/invitation-mail.sweeper.js';
import { InvalidationsService } from '../moderation/invalidations.service.js';
import type { JobPayload } from '../queue/job-payloads.js';
import { RegisterRecheckSweeper } from '../registers/register-recheck.sweeper.js';
import { PetitionsService } from '../petitions/petitions.service.js';
import { JobName, QueueName } from '../queue/queue-names.js';
import { SignatureExpiryService } from '../signatures/signature-expiry.service.js';
import { SignatureSweeper } from '../signatures/signature-sweeper.service.js';
import { KeyRotationService } from '../keys/key-rotation.service.js';
import { RetentionService } from '../retention/retention.service.js';

/** Periodic housekeeping jobs, scheduled by MaintenanceScheduler. */
@Processor(QueueName.Maintenance)
export class MaintenanceProcessor extends WorkerHost {
  private readonly logger = new Logger(MaintenanceProcessor.name);

  constructor(
    private readonly petitions: PetitionsService,
    private readonly sweeper: SignatureSweeper,
    private readonly expiry: SignatureExpiryService,
    private readonly counts: CountsService,
    private readonly invalidations: InvalidationsService,
    private readonly recheckSweeper: RegisterRecheckSweeper,
    private readonly history: CountHistoryService,
    private readonly alerts: AlertsService,
    private readonly retention: RetentionService,
    private readonly rotation: KeyRotationService,
    private readonly invitationMails: InvitationMailSweeper,
  ) {
    super();
  }

  async process(job: Job): Promise<unknown> {
    const name = job.name as JobName;
    switch (name) {
      case JobName.CloseDuePetitions: {
        const closed = await this.petitions.closeDue();
        if (closed > 0) this.logger.log(`closed ${closed} petition(s) whose closing time passed`);
        return { closed };
      }
      case JobName.SweepSignatures:
        return {
          ...(await this.sweeper.sweep()),
          invalidations: await this.invalidations.reviveRunning(),
          registerRechecks: await this.recheckSweeper.reviveOwed(),
          invitationMails: await this.invitationMails.reviveOwed(),
        };
      case JobName.RunInvalidation: {
        const { invalidationId } = job.data as JobPayload<JobName.RunInvalidation>;
        return this.invalidations.run(invalidationId);
      }
      case JobName.ExpireUnconfirmed: {
        const expired = await this.expiry.expireDue();
        if (expired > 0) this.logger.log(`expired ${expired} unconfirmed signature(s)`);
        return { expired };
      }
      case JobName.ReconcileCounts: {
        let corrected = 0;
        for (const id of await this.counts.livePetitionIds()) {
          if (await this.counts.reconcile(id)) corrected++;
        }
        return { corrected };
      }
      case JobName.SnapshotCounts:
        return { written: await this.history.snapshot() };
      case JobName.DetectTrending:
        return this.alerts.detectTrending();
      case JobName.EraseExpiredPersonalData:
        return this.retention.eraseDue();
      case JobName.RewrapDataKeys:
        return this.rotation.rewrapAll();
      case JobName.SendSignerMail:
      case JobName.SendSignerMails:
      case JobName.SendImportReceipts:
      case JobName.VerifySignature:
      case JobName.VerifySignatures:
      case JobName.RecheckRegister:
      case JobName.SendSignInMail:
      case JobName.SendInvitationMail:
        throw new UnrecoverableError(
          `${name} belongs on its own queue, not ${QueueName.Maintenance}`,
        );
      default: {
        const unknown: never = name;
        throw new UnrecoverableError(`unknown job ${String(unknown)} on ${QueueName.Maintenance}`);
      }
    }
  }
}
