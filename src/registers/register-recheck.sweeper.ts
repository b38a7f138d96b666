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
    const added = await this.producer.ensureLive(
      JobName.RecheckRegister,
      rows.map(({ id, version }) => ({
        id: recheckJobId(id, version),
        payload: { registerId: id, version },
      })),
    );
    return added.length;
  }
}

export function recheckJobId(registerId: string, version: number): string {
  return `recheck:${registerId}:${version}`;
}
