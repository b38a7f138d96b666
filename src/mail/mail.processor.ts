import { Processor, WorkerHost } from '@nestjs/bullmq';
import type { OnApplicationBootstrap } from '@nestjs/common';
import { type Job, UnrecoverableError } from 'bullmq';
import { AppConfig } from '../config/app-config.js';
import type { JobPayload } from '../queue/job-payloads.js';
import { JobName, QueueName } from '../queue/queue-names.js';
import { InFlightBatcher } from '../common/batching/in-flight-batcher.js';
import { type MailOutcome, SignerMailService } from './signer-mail.service.js';

/**
 * Signer mails; SMTP hiccups are retried with exponential backoff (the queue's defaults). The
 * jobs running at one moment are read and marked sent together (see SignerMailService.sendMany).
 */
@Processor(QueueName.Mail)
export class MailProcessor extends WorkerHost implements OnApplicationBootstrap {
  private readonly batcher: InFlightBatcher<string, MailOutcome>;

  constructor(
    mails: SignerMailService,
    private readonly config: AppConfig,
  ) {
    super();
    this.batcher = new InFlightBatcher((ids) => mails.sendMany(ids), {
      maxBatch: 200,
      maxInFlight: 2,
    });
  }

  onApplicationBootstrap(): void {
    this.worker.concurrency = this.config.mailConcurrency;
  }

  async process(job: Job): Promise<unknown> {
    const name = job.name as JobName;
    switch (name) {
      case JobName.SendSignerMail: {
        const { signatureId } = job.data as JobPayload<JobName.SendSignerMail>;
        const outcome = await this.batcher.add(signatureId);
        if (outcome instanceof Error) throw outcome;
        return { result: outcome };
      }
      default:
        throw new UnrecoverableError(`unknown job ${name} on ${QueueName.Mail}`);
    }
  }
}
