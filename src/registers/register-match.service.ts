import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { Eligibility } from '../petitions/petition-status.js';
import { type CheckSubject, fail, pass, review } from '../verification/check.js';
import type { RegisterMatcher } from '../verification/register-matcher.js';
import { districtKey } from './district-key.js';
import { allowedEdits, editDistance } from './edit-distance.js';

interface EntryRow {
  full_name: string;
  district: string | null;
  district_key: string | null;
  name_key: string;
}

const NEAR_CANDIDATES = 5;

/**
 * Matches a signer against the current version of the petition's register. Names compare by
 * `nameKey` (case, spaces, hyphens, ё/е, word order, Cyrillic ↔ Latin), districts by
 * `districtKey`. Exact name and district → pass. A near miss — the name in another district, or a
 * name a letter or two away (found through the trigram index, confirmed by edit distance) → a
 * moderator, with what differed. No match → a moderator, or rejected as not_eligible when the
 * petition is strict.
 */
@Injectable()
export class RegisterMatchService implements RegisterMatcher {
  constructor(private readonly dataSource: DataSource) {}

  /**
   * One snapshot for the version and its entries: an upload committing between the two reads
   * would otherwise leave a version whose entries are gone, and the signer "not found".
   */
  match(subject: CheckSubject) {
    return this.dataSource.transaction('REPEATABLE READ', (m) => this.matchIn(m, subject));
  }

  private async matchIn(m: EntityManager, subject: CheckSubject) {
    const [register]: Array<{ name: string; version: number }> = await m.query(
      `SELECT name, version FROM eligibility_registers WHERE id = $1`,
      [subject.petition.registerId],
    );
    if (!register || register.version === 0) {
      return review('The petition’s register has no entries yet', 60);
    }
    const params = [subject.petition.registerId, register.version, subject.nameKey];
    const district = districtKey(subject.district);

    const exact: EntryRow[] = await m.query(
      `SELECT full_name, district, district_key, name_key FROM register_entries
        WHERE register_id = $1 AND version = $2 AND name_key = $3 LIMIT 20`,
      params,
    );
    if (exact.length > 0) {
      const same = exact.find((e) => e.district_key === null || e.district_key === district);
      if (same) return pass(`Matches the register entry ${describe(same)}`);
      const entry = exact[0];
      return district === null
        ? review(`The name matches ${describe(entry)}, but the signer gave no district`, 20)
        : review(
            `The name matches ${describe(entry)}, registered in another district than “${subject.district}”`,
            40,
          );
    }

    const near: EntryRow[] = await m.query(
      `SELECT full_name, district, district_key, name_key FROM register_entries
        WHERE register_id = $1 AND version = $2 AND name_key % $3
        ORDER BY similarity(name_key, $3) DESC LIMIT ${NEAR_CANDIDATES}`,
      params,
    );
    const close = near
      .map((e) => ({ entry: e, edits: editDistance(e.name_key, subject.nameKey) }))
      .filter((c) => c.edits <= allowedEdits(subject.nameKey))
      .sort((a, b) => a.edits - b.edits)[0];
    if (close) {
      const where =
        close.entry.district_key === null || close.entry.district_key === district
          ? ''
          : ', in another district';
      return review(
        `Close to the register entry ${describe(close.entry)}: ${close.edits} letter(s) differ${where}`,
        30,
      );
    }

    return subject.petition.eligibility === Eligibility.Strict
      ? fail(`Not on the register “${register.name}”`, 'not_eligible')
      : review(`Not found on the register “${register.name}”`, 60);
  }
}

function describe(entry: EntryRow): string {
  return entry.district ? `“${entry.full_name}” (${entry.district})` : `“${entry.full_name}”`;
}
