import { Injectable } from '@nestjs/common';
import { JobProducer } from '../queue/job-producer.js';
import { JobName } from '../queue/queue-names.js';
import { InvitationsRepository } from './invitations.repository.js';

/**
 * An invitation whose mail is still owed a while after it was made (its job was lost with Redis,
 * could not be enqueued, or used up its retries) gets its mail job again. The row is the outbox,
 * so a job that runs twice sends once.
 */
@Injectable()
export class InvitationMailSweeper {
  constructor(
    private readonly invitations: InvitationsRepository,
    private readonly producer: JobProducer,
  ) {}

  async reviveOwed(): Promise<number> {
    const ids = await this.invitations.owedSince('1 minute');
    if (ids.length === 0) return 0;
    const added = await this.producer.ensureLive(
      JobName.SendInvitationMail,
      ids.map((id) => ({ id, payload: { invitationId: id } })),
    );
    return added.length;
  }
}
