import { Processor, WorkerHost } from '@nestjs/bullmq';
import type { OnApplicationBootstrap } from '@nestjs/common';
import { type Job, UnrecoverableError } from 'bullmq';
import { AppConfig } from '../config/app-config.js';
import { failIfAnyRejected } from '../queue/batch-job-failure.js';
import type { JobPayload, WorkBatch } from '../queue/job-payloads.js';
import { JobName, QueueName } from '../queue/queue-names.js';
import { InvitationMailService } from './invitation-mail.service.js';
import { SignInMailService } from './sign-in-mail.service.js';
import { SignerMailService } from './signer-mail.service.js';

/**
 * How many of an import's receipts one job sends at a time. The SMTP pool has a few connections
 * and mails queue in it in the order they are handed over: an import's thousands handed over at
 * once would hold every signer's confirmation behind them.
 */
const RECEIPTS_AT_ONCE = 2;

/**
 * Signer mails; SMTP hiccups are retried with exponential backoff (the queue's defaults). Each
 * job sends its own mail; the jobs running at one moment share their reads and writes (see
 * SignerMailService.send).
 */
@Processor(QueueName.Mail)
export class MailProcessor extends WorkerHost implements OnApplicationBootstrap {
  constructor(
    private readonly mails: SignerMailService,
    private readonly signIn: SignInMailService,
    private readonly invitations: InvitationMailService,
    private readonly config: AppConfig,
  ) {
    super();
  }

  onApplicationBootstrap(): void {
    this.worker.concurrency = this.config.mailConcurrency;
  }

  async process(job: Job): Promise<unknown> {
    const name = job.name as JobName;
    switch (name) {
      case JobName.SendSignerMail: {
        const { signatureId } = job.data as JobPayload<JobName.SendSignerMail>;
        return { result: await this.mails.send(signatureId) };
      }
      case JobName.SendSignerMails:
        return this.sendBatch(job.data as JobPayload<JobName.SendSignerMails>);
      case JobName.SendImportReceipts:
        return this.sendBatch(job.data as JobPayload<JobName.SendImportReceipts>, RECEIPTS_AT_ONCE);
      case JobName.SendSignInMail: {
        const { linkId } = job.data as JobPayload<JobName.SendSignInMail>;
        return { result: await this.signIn.send(linkId) };
      }
      case JobName.SendInvitationMail: {
        const { invitationId } = job.data as JobPayload<JobName.SendInvitationMail>;
        return { result: await this.invitations.send(invitationId) };
      }
      default:
        throw new UnrecoverableError(`unknown job ${name} on ${QueueName.Mail}`);
    }
  }

  /**
   * Each mail of the batch goes out on its own. Those the server refused for good are settled
   * (their tokens dropped); any other failure fails the job, whose retry sends only what is still
   * owed. A signature since handed to a job of its own is left to that job. At most `atOnce` are
   * on their way at a time (all of them unless given).
   */
  private async sendBatch(
    { batchId, signatureIds }: WorkBatch,
    atOnce = signatureIds.length,
  ): Promise<unknown> {
    const results: Array<PromiseSettledResult<Awaited<ReturnType<SignerMailService['send']>>>> = [];
    for (let i = 0; i < signatureIds.length; i += atOnce) {
      const slice = signatureIds.slice(i, i + atOnce);
      results.push(...(await Promise.allSettled(slice.map((id) => this.mails.send(id, batchId)))));
    }
    // Its reasons are SignerMailService's own words (no address, no server text).
    failIfAnyRejected(
      results,
      'mail(s) could not be sent yet',
      (reason) => reason instanceof UnrecoverableError,
    );
    return {
      sent: results.filter((r) => r.status === 'fulfilled' && r.value === 'sent').length,
      refused: results.filter((r) => r.status === 'rejected').length,
    };
  }
}
