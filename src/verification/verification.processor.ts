import { Processor, WorkerHost } from '@nestjs/bullmq';
import type { OnApplicationBootstrap } from '@nestjs/common';
import { type Job, UnrecoverableError } from 'bullmq';
import { AppConfig } from '../config/app-config.js';
import { failIfAnyRejected } from '../queue/batch-job-failure.js';
import type { JobPayload } from '../queue/job-payloads.js';
import { JobName, QueueName } from '../queue/queue-names.js';
import { RegisterRecheckService } from './register-recheck.service.js';
import { VerificationBatcher } from './verification-batcher.js';

/**
 * The automated checks and their decision: one job per sign statement for the signatures it
 * wrote (jobId = their work batch), or per signature (jobId = its id) for those confirmed,
 * imported or restarted; and, after a register changes, the re-check of what it decided.
 */
@Processor(QueueName.Verification)
export class VerificationProcessor extends WorkerHost implements OnApplicationBootstrap {
  constructor(
    private readonly batcher: VerificationBatcher,
    private readonly recheck: RegisterRecheckService,
    private readonly config: AppConfig,
  ) {
    super();
  }

  onApplicationBootstrap(): void {
    this.worker.concurrency = this.config.verificationConcurrency;
  }

  async process(job: Job): Promise<unknown> {
    const name = job.name as JobName;
    switch (name) {
      case JobName.VerifySignature: {
        const { signatureId } = job.data as JobPayload<JobName.VerifySignature>;
        const outcome = await this.batcher.verify(signatureId);
        return { status: outcome?.status ?? 'unchanged' };
      }
      case JobName.VerifySignatures: {
        // Each signature joins the batcher like a job of its own, so concurrent jobs still share
        // one load and one move per decision.
        const { signatureIds } = job.data as JobPayload<JobName.VerifySignatures>;
        const outcomes = await Promise.allSettled(
          signatureIds.map((id) => this.batcher.verify(id)),
        );
        failIfAnyRejected(outcomes, 'signature(s) could not be verified');
        return { decided: outcomes.filter((o) => o.status === 'fulfilled' && o.value).length };
      }
      case JobName.RecheckRegister: {
        const { registerId } = job.data as JobPayload<JobName.RecheckRegister>;
        return this.recheck.recheck(registerId);
      }
      default:
        throw new UnrecoverableError(`unknown job ${name} on ${QueueName.Verification}`);
    }
  }
}
