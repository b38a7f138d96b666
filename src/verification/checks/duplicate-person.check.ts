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

  async run(subject: CheckSubject) {
    const rows: Array<{ id: string; created_at: Date }> = await this.dataSource.query(
      `SELECT id, created_at FROM signatures
        WHERE petition_id = $1 AND name_key = $2 AND id <> $3
          AND lower(btrim(coalesce(district, ''))) = lower(btrim(coalesce($4::text, '')))
          AND status IN ('unconfirmed', 'pending', 'needs_review', 'verified')
          AND (created_at, id) < ($5, $3)
        ORDER BY created_at LIMIT 1`,
      [subject.petitionId, subject.nameKey, subject.id, subject.district, subject.createdAt],
    );
    if (rows.length === 0) return pass('No other signature with this name and district');
    return review(
      `Same name and district as signature ${rows[0].id}, made ${rows[0].created_at.toISOString()} under another email`,
      40,
    );
  }
}
