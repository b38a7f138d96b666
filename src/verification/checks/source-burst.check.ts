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

  async run(subjects: readonly CheckSubject[]) {
    const windowSeconds = this.config.sourceBurstWindowSeconds;
    const limit = this.config.sourceBurstLimit;
    const sourced = subjects.filter((subject) => subject.sourceIndex !== null);
    // How many signatures from the same source on the same petition, this one included, within
    // the window before it. Counting stops one past the limit: a busy shared source (a campus,
    // an office) must not make every check read all of its signatures.
    const rows: Array<{ subject_id: string; n: string }> =
      sourced.length === 0
        ? []
        : await this.dataSource.query(
            `SELECT me.id AS subject_id, burst.n
               FROM signatures me
               CROSS JOIN LATERAL (
                 SELECT count(*) AS n FROM (
                   SELECT 1 FROM signatures o
                    WHERE o.petition_id = me.petition_id AND o.source_index = me.source_index
                      AND o.created_at > me.created_at - make_interval(secs => $2)
                      AND (o.created_at, o.id) <= (me.created_at, me.id)
                    LIMIT $3
                 ) AS earlier
               ) AS burst
              WHERE me.id = ANY($1::uuid[]) AND me.source_index IS NOT NULL`,
            [sourced.map((subject) => subject.id), windowSeconds, limit + 1],
          );
    const counts = new Map(rows.map((row) => [row.subject_id, Number(row.n)]));
    const window = formatWindow(windowSeconds);
    return subjects.map((subject) => {
      if (subject.sourceIndex === null) return pass('No network source recorded (imported)');
      const n = counts.get(subject.id) ?? 1;
      if (n <= limit)
        return pass(`Signature ${n} from its source within ${window} (limit ${limit})`);
      return review(
        `More than ${limit} signatures from one source within ${window}: this looks like bulk signing`,
        50,
      );
    });
  }
}

function formatWindow(seconds: number): string {
  if (seconds % 3600 === 0) return `${seconds / 3600} h`;
  if (seconds % 60 === 0) return `${seconds / 60} min`;
  return `${seconds} s`;
}
