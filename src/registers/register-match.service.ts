import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { Eligibility } from '../petitions/petition-status.js';
import { type CheckSubject, fail, pass, review, type Verdict } from '../verification/check.js';
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
   * One snapshot per register for its version and its entries: an upload committing between the
   * reads would otherwise leave a version whose entries are gone, and the signer "not found".
   * Each register is read in three queries however many subjects there are.
   */
  async match(subjects: readonly CheckSubject[]): Promise<Verdict[]> {
    const byRegister = new Map<string, CheckSubject[]>();
    for (const subject of subjects) {
      const registerId = subject.petition.registerId as string;
      byRegister.set(registerId, [...(byRegister.get(registerId) ?? []), subject]);
    }
    const verdicts = new Map<string, Verdict>();
    for (const [registerId, group] of byRegister) {
      const found = await this.dataSource.transaction('REPEATABLE READ', (m) =>
        this.matchIn(m, registerId, group),
      );
      group.forEach((subject, i) => verdicts.set(subject.id, found[i]));
    }
    return subjects.map((subject) => verdicts.get(subject.id) as Verdict);
  }

  private async matchIn(
    m: EntityManager,
    registerId: string,
    subjects: readonly CheckSubject[],
  ): Promise<Verdict[]> {
    const [register]: Array<{ name: string; version: number }> = await m.query(
      `SELECT name, version FROM eligibility_registers WHERE id = $1`,
      [registerId],
    );
    if (!register || register.version === 0) {
      return subjects.map(() => review('The petition’s register has no entries yet', 60));
    }
    const keys = [...new Set(subjects.map((subject) => subject.nameKey))];
    const exact = await this.entriesByKey(m, registerId, register.version, keys, 'exact');
    const unmatched = keys.filter((key) => !exact.has(key));
    const near =
      unmatched.length > 0
        ? await this.entriesByKey(m, registerId, register.version, unmatched, 'near')
        : new Map<string, EntryRow[]>();
    return subjects.map((subject) =>
      judge(
        subject,
        register.name,
        exact.get(subject.nameKey) ?? [],
        near.get(subject.nameKey) ?? [],
      ),
    );
  }

  /**
   * For each name key, the entries of this version with exactly that key (up to 20), or — `near`
   * — the few most similar ones the trigram index finds.
   */
  private async entriesByKey(
    m: EntityManager,
    registerId: string,
    version: number,
    keys: string[],
    kind: 'exact' | 'near',
  ): Promise<Map<string, EntryRow[]>> {
    const rows: Array<EntryRow & { key: string }> = await m.query(
      `SELECT k.key, e.full_name, e.district, e.district_key, e.name_key
         FROM unnest($3::text[]) AS k(key)
         CROSS JOIN LATERAL (
           SELECT full_name, district, district_key, name_key FROM register_entries
            WHERE register_id = $1 AND version = $2 AND ${
              kind === 'exact'
                ? 'name_key = k.key LIMIT 20'
                : `name_key % k.key ORDER BY similarity(name_key, k.key) DESC LIMIT ${NEAR_CANDIDATES}`
            }
         ) AS e
        ORDER BY k.key${kind === 'near' ? ', similarity(e.name_key, k.key) DESC' : ''}`,
      [registerId, version, keys],
    );
    const byKey = new Map<string, EntryRow[]>();
    for (const { key, ...entry } of rows) byKey.set(key, [...(byKey.get(key) ?? []), entry]);
    return byKey;
  }
}

/** The verdict for one subject, from the entries that share its name key or come close to it. */
function judge(
  subject: CheckSubject,
  registerName: string,
  exact: EntryRow[],
  near: EntryRow[],
): Verdict {
  const district = districtKey(subject.district);
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
    ? fail(`Not on the register “${registerName}”`, 'not_eligible')
    : review(`Not found on the register “${registerName}”`, 60);
}

function describe(entry: EntryRow): string {
  return entry.district ? `“${entry.full_name}” (${entry.district})` : `“${entry.full_name}”`;
}
