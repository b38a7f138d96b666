import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { type CheckSubject, pass, review, type SignatureCheck } from '../check.js';

/**
 * Two live signatures of one petition under one address. Public signing allows one per address,
 * so such a pair holds an imported row: the organiser's import of someone who also signed online,
 * or the same address in two uploads. Neither is merged into the other; the later of the two goes
 * to a moderator, naming the earlier, whose owner has a receipt mail to withdraw it.
 */
@Injectable()
export class SameAddressCheck implements SignatureCheck {
  readonly name = 'same_address';

  constructor(private readonly dataSource: DataSource) {}

  /** The earliest earlier live signature with the same address, for each subject that has one. */
  async run(subjects: readonly CheckSubject[]) {
    const withAddress = subjects.filter((subject) => subject.emailIndex !== null);
    // Each arm of the union reads one of the two partial indexes on (petition_id, email_index).
    const rows: Array<{ subject_id: string; id: string }> =
      withAddress.length === 0
        ? []
        : await this.dataSource.query(
            `SELECT me.id AS subject_id, earlier.id
               FROM signatures me
               CROSS JOIN LATERAL (
                 SELECT o.id FROM (
                   SELECT id, status, created_at FROM signatures
                    WHERE origin = 'public' AND petition_id = me.petition_id
                      AND email_index = me.email_index
                   UNION ALL
                   SELECT id, status, created_at FROM signatures
                    WHERE origin = 'import' AND petition_id = me.petition_id
                      AND email_index = me.email_index
                 ) AS o
                 WHERE o.id <> me.id
                   AND o.status IN ('unconfirmed', 'pending', 'needs_review', 'verified')
                   AND (o.created_at, o.id) < (me.created_at, me.id)
                 ORDER BY o.created_at, o.id LIMIT 1
               ) AS earlier
              WHERE me.id = ANY($1::uuid[])`,
            [withAddress.map((subject) => subject.id)],
          );
    const earlier = new Map(rows.map((row) => [row.subject_id, row.id]));
    return subjects.map((subject) => {
      const other = earlier.get(subject.id);
      if (subject.emailIndex === null) return pass('No address given');
      if (!other) return pass('No other signature of this petition has this address');
      return review(`Same address as signature ${other}`, 40);
    });
  }
}
