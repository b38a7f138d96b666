import { Processor, WorkerHost } from '@nestjs/bullmq';
import type { OnApplicationBootstrap } from '@nestjs/common';
import { type Job, UnrecoverableError } from 'bullmq';
import { AppConfig } from '../config/app-config.js';
import type { JobPayload } from '../queue/job-payloads.js';
import { JobName, QueueName } from '../queue/queue-names.js';
import { SignerMailService } from './signer-mail.service.js';

/**
 * Signer mails; SMTP hiccups are retried with exponential backoff (the queue's defaults). Each
 * job sends its own mail; the jobs running at one moment share their reads and writes (see
 * SignerMailService.send).
 */
@Processor(QueueName.Mail)
export class MailProcessor extends WorkerHost implements OnApplicationBootstrap {
  constructor(
    private readonly mails: SignerMailService,
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
      default:
        throw new UnrecoverableError(`unknown job ${name} on ${QueueName.Mail}`);
    }
  }
}
