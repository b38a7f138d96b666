import { transliterate } from 'transliteration';

/**
 * A comparison key for a district as people write it: case, `ё`, punctuation, extra spaces and
 * Cyrillic or Latin spelling fold away (`Округ №7` and `okrug 7` match). Word order is kept.
 */
export function districtKey(district: string | null | undefined): string | null {
  if (district === null || district === undefined) return null;
  const folded = transliterate(
    district.normalize('NFKC').toLowerCase().replace(/ё/g, 'е').replace(/№/g, ' '),
  ).toLowerCase();
  const key = folded
    .split(/[^a-z0-9]+/)
    .filter((part) => part.length > 0)
    .join(' ');
  return key === '' ? null : key;
}
