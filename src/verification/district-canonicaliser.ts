import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { districtKey } from '../registers/district-key.js';
import type { CheckSubject } from './check.js';
import { REGISTER_MATCHER, type RegisterMatcher } from './register-matcher.js';

/**
 * Before the checks: each subject's district key is stored, and on a petition with a register a
 * district the register knows (by key: `Semenovsky` is `Семёновский`) is stored as the register
 * writes it, so the checks, the moderators and the district counts see one spelling. A district
 * the register does not know is kept as the signer wrote it.
 */
@Injectable()
export class DistrictCanonicaliser {
  constructor(
    private readonly dataSource: DataSource,
    @Inject(REGISTER_MATCHER) private readonly matcher: RegisterMatcher,
  ) {}

  /** Writes the districts and keys, and updates the subjects to match. */
  async canonicalise<S extends CheckSubject>(subjects: S[]): Promise<void> {
    const withDistrict = subjects.filter((s) => s.district !== null);
    if (withDistrict.length === 0) return;
    const canonical = await this.matcher.canonicalDistricts(withDistrict);
    const rows = withDistrict.map((s) => {
      const found = canonical.get(s.id);
      return {
        id: s.id,
        district: found?.district ?? (s.district as string),
        key: found?.key ?? districtKey(s.district),
      };
    });
    await this.dataSource.query(
      `UPDATE signatures s SET district = x.district, district_key = x.key
         FROM unnest($1::uuid[], $2::text[], $3::text[]) AS x(id, district, key)
        WHERE s.id = x.id AND s.status = 'pending'
          AND (s.district IS DISTINCT FROM x.district OR s.district_key IS DISTINCT FROM x.key)`,
      [rows.map((r) => r.id), rows.map((r) => r.district), rows.map((r) => r.key)],
    );
    const byId = new Map(rows.map((r) => [r.id, r.district]));
    for (const s of withDistrict) s.district = byId.get(s.id) ?? s.district;
  }
}
