import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { JobProducer } from '../queue/job-producer.js';
import { JobName } from '../queue/queue-names.js';

/**
 * A register whose newest version has not been re-checked against its petitions' signatures
 * (the job was lost with Redis, or could not be enqueued) gets its re-check job again.
 */
@Injectable()
export class RegisterRecheckSweeper {
  constructor(
    private readonly dataSource: DataSource,
    private readonly producer: JobProducer,
  ) {}

  async reviveOwed(): Promise<number> {
    const rows: Array<{ id: string; version: number }> = await this.dataSource.query(
      `SELECT id, version FROM eligibility_registers
        WHERE rechecked_version < version AND updated_at < now() - interval '30 seconds'`,
    );
    const queue = this.producer.queue(JobName.RecheckRegister);
    for (const { id, version } of rows) {
      const jobId = recheckJobId(id, version);
      const state = await queue.getJobState(jobId);
      if (state === 'unknown' || state === 'failed' || state === 'completed') {
        await (await queue.getJob(jobId))?.remove();
        await this.producer.enqueue(
          JobName.RecheckRegister,
          { registerId: id, version },
          { jobId },
        );
      }
    }
    return rows.length;
  }
}

export function recheckJobId(registerId: string, version: number): string {
  return `recheck:${registerId}:${version}`;
}
