import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { Eligibility } from '../petitions/petition-status.js';
import { type CheckSubject, fail, pass, review, type Verdict } from '../verification/check.js';
import type { RegisterMatcher } from '../verification/register-matcher.js';
import { districtKey } from './district-key.js';
import { allowedEdits, editDistance } from './edit-distance.js';
import { RegisterContacts } from './register-contact.js';

interface EntryRow {
  full_name: string;
  district: string | null;
  district_key: string | null;
  name_key: string;
  email_index: Buffer | null;
}

/** What the matcher knows of one subject besides its name and district. */
interface Evidence {
  /** The entry the subject's invitation was sent to, still on the current version. */
  invited?: EntryRow;
  /** The signer's email under the register index; absent without an email. */
  emailIndex?: Buffer;
}

/** The detail a listed name signed from another address gets; people and tests look for it. */
export const UNDER_ANOTHER_ADDRESS = 'on the register under another address';

const NEAR_CANDIDATES = 5;

/**
 * Matches a signer against the current version of the petition's register. Names compare by
 * `nameKey` (case, spaces, hyphens, ё/е, word order, Cyrillic ↔ Latin), districts by
 * `districtKey`. Exact name and district → pass. A near miss — the name in another district, or a
 * name a letter or two away (found through the trigram index, confirmed by edit distance) → a
 * moderator, with what differed. No match → a moderator, or rejected as not_eligible when the
 * petition is strict.
 *
 * An entry with an email vouches only for that address: the same name and district signed from
 * another one goes to a moderator ("on the register under another address"), so nobody can sign
 * in a listed person's name. A signature made through an invitation is a strong match: it passes
 * on the entry its invitation went to, as long as the current version still lists that address.
 */
@Injectable()
export class RegisterMatchService implements RegisterMatcher {
  constructor(
    private readonly dataSource: DataSource,
    private readonly contacts: RegisterContacts,
  ) {}

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
    const evidence = await this.evidence(m, registerId, register.version, subjects, exact);
    return subjects.map((subject) =>
      judge(
        subject,
        register.name,
        exact.get(subject.nameKey) ?? [],
        near.get(subject.nameKey) ?? [],
        evidence.get(subject.id) ?? {},
      ),
    );
  }

  /**
   * The invitation entries of invited subjects, and the signer's email index of each subject
   * whose name matches an entry with an email (only those need it: it costs a decryption).
   */
  private async evidence(
    m: EntityManager,
    registerId: string,
    version: number,
    subjects: readonly CheckSubject[],
    exact: Map<string, EntryRow[]>,
  ): Promise<Map<string, Evidence>> {
    const found = new Map<string, Evidence>();
    const invited = subjects.filter((s) => s.invitationId);
    if (invited.length > 0) {
      const rows: Array<EntryRow & { signature_id: string }> = await m.query(
        `SELECT x.signature_id, e.full_name, e.district, e.district_key, e.name_key, e.email_index
           FROM unnest($3::uuid[], $4::uuid[]) AS x(signature_id, invitation_id)
           JOIN register_invitations i ON i.id = x.invitation_id
           CROSS JOIN LATERAL (
             SELECT full_name, district, district_key, name_key, email_index FROM register_entries
              WHERE register_id = $1 AND version = $2 AND email_index = i.email_index
              ORDER BY row_number LIMIT 1
           ) AS e`,
        [registerId, version, invited.map((s) => s.id), invited.map((s) => s.invitationId)],
      );
      for (const { signature_id, ...entry } of rows) found.set(signature_id, { invited: entry });
    }
    const needEmail = subjects.filter(
      (s) =>
        !found.get(s.id)?.invited &&
        (exact.get(s.nameKey) ?? []).some((entry) => entry.email_index !== null),
    );
    const indexes = await this.contacts.signerIndexes(
      m,
      needEmail.map((s) => s.id),
    );
    for (const [id, emailIndex] of indexes) found.set(id, { ...found.get(id), emailIndex });
    return found;
  }

  /**
   * With a register, a signer's district as the register writes it: for each subject whose
   * district's key is one of the current version's districts, that district's spelling (the
   * first entry's) and key. Subjects whose district is not on the register are absent.
   */
  async canonicalDistricts(
    subjects: readonly CheckSubject[],
  ): Promise<Map<string, { district: string; key: string }>> {
    const wanted = subjects
      .filter((s) => s.petition.registerId !== null && s.district !== null)
      .map((s) => ({
        id: s.id,
        registerId: s.petition.registerId as string,
        key: districtKey(s.district),
      }))
      .filter((s): s is { id: string; registerId: string; key: string } => s.key !== null);
    if (wanted.length === 0) return new Map();
    const rows: Array<{ register_id: string; district_key: string; district: string }> =
      await this.dataSource.query(
        `SELECT DISTINCT ON (e.register_id, e.district_key) e.register_id, e.district_key, e.district
           FROM eligibility_registers r
           JOIN register_entries e ON e.register_id = r.id AND e.version = r.version
          WHERE r.id = ANY($1::uuid[]) AND e.district_key = ANY($2::text[])
          ORDER BY e.register_id, e.district_key, e.row_number`,
        [[...new Set(wanted.map((w) => w.registerId))], [...new Set(wanted.map((w) => w.key))]],
      );
    const canonical = new Map(rows.map((r) => [`${r.register_id}\0${r.district_key}`, r.district]));
    const result = new Map<string, { district: string; key: string }>();
    for (const w of wanted) {
      const district = canonical.get(`${w.registerId}\0${w.key}`);
      if (district !== undefined) result.set(w.id, { district, key: w.key });
    }
    return result;
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
      `SELECT k.key, e.full_name, e.district, e.district_key, e.name_key, e.email_index
         FROM unnest($3::text[]) AS k(key)
         CROSS JOIN LATERAL (
           SELECT full_name, district, district_key, name_key, email_index FROM register_entries
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
  evidence: Evidence,
): Verdict {
  if (evidence.invited) {
    return pass(
      `Signed through the invitation to the register entry ${describe(evidence.invited)}`,
    );
  }
  const district = districtKey(subject.district);
  if (exact.length > 0) {
    const inDistrict = exact.filter((e) => e.district_key === null || e.district_key === district);
    const same = inDistrict.find(
      (e) => e.email_index === null || (evidence.emailIndex?.equals(e.email_index) ?? false),
    );
    if (same) return pass(`Matches the register entry ${describe(same)}`);
    if (inDistrict.length > 0) {
      return review(`The name matches ${describe(inDistrict[0])}, ${UNDER_ANOTHER_ADDRESS}`, 60);
    }
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
