import { transliterate } from 'transliteration';
import { foldRomanisedWord } from '../signatories/name-key.js';

/**
 * A comparison key for a district as people write it: case, `ё`, punctuation, extra spaces and
 * Cyrillic or Latin spelling fold away (`Округ №7` and `okrug 7` match), and so do the usual
 * romanisation variants, as in name keys: `-ский`/`-sky`/`-skiy`/`-skii`/`-skij`, `ё`/`e`/`yo`,
 * soft and hard signs (`ь`, `'`), `kh`/`h` (`Семёновский`, `Semenovsky` and `Semyonovskiy` meet).
 * Word order is kept. Digits are never folded: `Округ 11` is not `Округ 1`.
 *
 * Keys are stored (register_entries.district_key, signatures.district_key): changing this
 * function needs a migration that recomputes them.
 */
export function districtKey(district: string | null | undefined): string | null {
  if (district === null || district === undefined) return null;
  const folded = transliterate(
    district
      .replace(/№/g, ' ') // before NFKC, which spells it `No`
      .normalize('NFKC')
      .toLowerCase()
      .replace(/ё/g, 'е')
      .replace(/[ьъ'’ʹʼ`]/g, ''),
  ).toLowerCase();
  const key = folded
    .split(/[^a-z0-9]+/)
    .filter((part) => part.length > 0)
    .map((part) => part.replace(/[a-z]+/g, foldRomanisedWord))
    .join(' ');
  return key === '' ? null : key;
}
