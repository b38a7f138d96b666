import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { type CheckSubject, pass, review, type SignatureCheck } from '../check.js';

/**
 * The same person signing again under another email: the same normalised name (case, hyphens,
 * ё, word order, transliteration) and district as another live signature on the petition.
 * Namesakes exist, so it goes to a moderator rather than failing.
 */
@Injectable()
export class DuplicatePersonCheck implements SignatureCheck {
  readonly name = 'duplicate_person';

  constructor(private readonly dataSource: DataSource) {}

  /** The earliest earlier live signature with the same name key and district, for each subject. */
  async run(subjects: readonly CheckSubject[]) {
    const rows: Array<{ subject_id: string; id: string; created_at: Date }> =
      await this.dataSource.query(
        `SELECT me.id AS subject_id, earlier.id, earlier.created_at
           FROM signatures me
           CROSS JOIN LATERAL (
             SELECT o.id, o.created_at FROM signatures o
              WHERE o.petition_id = me.petition_id AND o.name_key = me.name_key AND o.id <> me.id
                -- Under the same address it is the same_address check's pair, not another email.
                AND (me.email_index IS NULL OR o.email_index IS NULL
                     OR o.email_index <> me.email_index)
                AND lower(btrim(coalesce(o.district, ''))) = lower(btrim(coalesce(me.district, '')))
                AND o.status IN ('unconfirmed', 'pending', 'needs_review', 'verified')
                AND (o.created_at, o.id) < (me.created_at, me.id)
              ORDER BY o.created_at LIMIT 1
           ) AS earlier
          WHERE me.id = ANY($1::uuid[])`,
        [subjects.map((subject) => subject.id)],
      );
    const earlier = new Map(rows.map((row) => [row.subject_id, row]));
    return subjects.map((subject) => {
      const other = earlier.get(subject.id);
      if (!other) return pass('No other signature with this name and district');
      // The invitation reached the register entry's own mailbox: this is the listed person, and
      // the earlier signature in their name is the one in doubt (the register check says so).
      if (subject.invitationId) {
        return pass(
          `Signed through a register invitation; signature ${other.id} has the same name and district`,
        );
      }
      return review(
        `Same name and district as signature ${other.id}, made ${other.created_at.toISOString()} under another email`,
        40,
      );
    });
  }
}
