import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { AppConfig } from '../../config/app-config.js';
import { type CheckSubject, pass, review, type SignatureCheck } from '../check.js';

/**
 * Many public signatures from one source (the keyed hash of the client IP) on one petition within
 * a window: the first SOURCE_BURST_LIMIT pass, the rest go to a moderator. A shared network (an
 * office, a university) can look like this too, so it is never an automatic rejection. Imported
 * signatures carry no source and are not judged by it.
 */
@Injectable()
export class SourceBurstCheck implements SignatureCheck {
  readonly name = 'source_burst';

  constructor(
    private readonly dataSource: DataSource,
    private readonly config: AppConfig,
  ) {}

  async run(subject: CheckSubject) {
    if (subject.sourceIndex === null) return pass('No network source recorded (imported)');
    const windowSeconds = this.config.sourceBurstWindowSeconds;
    const limit = this.config.sourceBurstLimit;
    // Counting stops one past the limit: a busy shared source (a campus, an office) must not make
    // every check read all of its signatures.
    const [row]: Array<{ n: string }> = await this.dataSource.query(
      `SELECT count(*) AS n FROM (
         SELECT 1 FROM signatures
          WHERE petition_id = $1 AND source_index = $2
            AND created_at > $3::timestamptz - make_interval(secs => $4)
            AND (created_at, id) <= ($3, $5)
          LIMIT $6
       ) AS earlier`,
      [
        subject.petitionId,
        subject.sourceIndex,
        subject.createdAt,
        windowSeconds,
        subject.id,
        limit + 1,
      ],
    );
    const n = Number(row.n);
    const window = formatWindow(windowSeconds);
    if (n <= limit) return pass(`Signature ${n} from its source within ${window} (limit ${limit})`);
    return review(
      `More than ${limit} signatures from one source within ${window}: this looks like bulk signing`,
      50,
    );
  }
}

function formatWindow(seconds: number): string {
  if (seconds % 3600 === 0) return `${seconds / 3600} h`;
  if (seconds % 60 === 0) return `${seconds / 60} min`;
  return `${seconds} s`;
}
