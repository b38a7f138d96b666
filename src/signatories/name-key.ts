import { transliterate } from 'transliteration';

/**
 * Spellings of one Cyrillic sound in the romanisations people actually use (passport, BGN,
 * scholarly, German or French habits), folded to one. Applied in order to each word of a
 * transliterated name, so `Кузнецов`, `Kuznetsov` and `Kuznecov`, or `Фёдоров`, `Fyodorov`,
 * `Fedorov` and `Fiodorov`, or `Юрий`, `Yuri`, `Yuriy` and `Iurii` fold together.
 */
const FOLDS: ReadonlyArray<[RegExp, string]> = [
  [/shtch|stsch|shch|sch/g, 'sh'],
  [/tch/g, 'ch'],
  [/kh/g, 'h'],
  [/(ts|tz|cz)/g, 'c'],
  [/x/g, 'ks'],
  [/w/g, 'v'],
  [/zh/g, 'z'],
  [/(yo|jo|io|yö|ë)/g, 'e'],
  [/(ya|ja|ia)/g, 'a'],
  [/(yu|ju|iu)/g, 'u'],
  [/(ye|je|ie)/g, 'e'],
  [/(iy|yy|ij|ii|yi|ei|ey|ej)$/g, 'i'],
  [/[yj]/g, 'i'],
  [/(.)\1+/g, '$1'],
];

function fold(word: string): string {
  return FOLDS.reduce((w, [pattern, replacement]) => w.replace(pattern, replacement), word);
}

/**
 * A comparison key for a person's name, so that the same person written differently matches:
 * case, extra whitespace, hyphens, `ё`/`е`, name order (surname first or last) and Cyrillic or
 * Latin spelling, in any of the common romanisations, all fold away. `Пётр Иванов-Сидоров`,
 * `ИВАНОВ-СИДОРОВ Петр` and `Pyotr Ivanov Sidorov` have one key. Used for duplicate-person
 * checks and register matching. The key is coarser than a spelling: it is compared together with
 * the district, and a near miss still goes to a person.
 */
export function nameKey(fullName: string): string {
  const folded = fullName
    .normalize('NFKC')
    .toLowerCase()
    .replace(/ё/g, 'е')
    .replace(/[‐-―\-'’`.,]/g, ' ');
  const latin = transliterate(folded).toLowerCase();
  return latin
    .split(/[^a-z0-9]+/)
    .filter((part) => part.length > 0)
    .map(fold)
    .sort()
    .join(' ');
}
