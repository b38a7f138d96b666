import { Processor, WorkerHost } from '@nestjs/bullmq';
import { Logger } from '@nestjs/common';
import { Job, UnrecoverableError } from 'bullmq';
import { PetitionsService } from '../petitions/petitions.service.js';
import { JobName, QueueName } from '../queue/queue-names.js';

/** Periodic housekeeping jobs, scheduled by MaintenanceScheduler. */
@Processor(QueueName.Maintenance)
export class MaintenanceProcessor extends WorkerHost {
  private readonly logger = new Logger(MaintenanceProcessor.name);

  constructor(private readonly petitions: PetitionsService) {
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
      default: {
        const unknown: never = name;
        throw new UnrecoverableError(`unknown job ${String(unknown)} on ${QueueName.Maintenance}`);
      }
    }
  }
}
