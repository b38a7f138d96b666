import { transliterate } from 'transliteration';

/**
 * Spellings of one Cyrillic sound in the romanisations people use (passport, BGN, scholarly,
 * German or French habits), folded to one, so `Кузнецов`, `Kuznetsov` and `Kuznecov`, or
 * `Фёдоров`, `Fyodorov` and `Fiodorov`, or `Мария`, `Maria`, `Mariya` and `Marija` fold together.
 * Glides are folded to a canonical glide, never dropped, so `Яна` and `Анна`, `Дарья` and `Дара`,
 * `Лиана` and `Лана` stay apart. Applied in order to each word of a transliterated name.
 */
const FOLDS: ReadonlyArray<[RegExp, string | ((...groups: string[]) => string)]> = [
  [/shtch|stsch|shch|sch/g, 'sh'],
  [/tch/g, 'ch'],
  [/kh/g, 'h'],
  [/ts|tz|cz/g, 'c'],
  [/x/g, 'ks'],
  [/w/g, 'v'],
  [/zh/g, 'z'],
  // At the start of a word: Ye-/Yo- as E- (Yelena, Elena); Ya-/Ia-/Ja- and Yu-/Iu-/Ju- keep a glide.
  [/^(ye|je|yo|jo|io)/, 'e'],
  [/^[yij](?=[au])/, 'j'],
  // Inside a word: a glide before a vowel, however written (iya, ia, ya, ja), to one spelling.
  [/(?<=.)[iyj]+([aueo])/g, (_match: string, vowel: string) => GLIDE[vowel]],
  // Endings of -ий / -ей / -ый names (Yuriy, Yuri, Iurii; Aleksey, Alexei, Aleksej).
  [/(iy|yy|ij|ii|yi)$/, 'i'],
  [/(ey|ej)$/, 'ei'],
  [/y/g, 'i'],
  [/(.)\1+/g, '$1'],
];

const GLIDE: Record<string, string> = { a: 'ia', u: 'iu', e: 'e', o: 'e' };

/**
 * One transliterated word with its romanisation variants folded (see FOLDS). District keys fold
 * their words with it too, so `Semenovsky` and `Семёновский` meet.
 */
export function foldRomanisedWord(word: string): string {
  return FOLDS.reduce(
    (w, [pattern, replacement]) => w.replace(pattern, replacement as string),
    word,
  );
}

/**
 * A comparison key for a person's name, so that the same person written differently matches:
 * case, extra whitespace, hyphens, `ё`/`е`, name order (surname first or last) and Cyrillic or
 * Latin spelling, in the common romanisations, all fold away. `Пётр Иванов-Сидоров`,
 * `ИВАНОВ-СИДОРОВ Петр` and `Pyotr Ivanov Sidorov` have one key. Used for duplicate-person checks
 * and register matching, always together with the district; a near miss still goes to a person.
 *
 * Keys are stored (signatures.name_key, register_entries.name_key): changing this function needs
 * a migration that recomputes them.
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
    .map(foldRomanisedWord)
    .sort()
    .join(' ');
}
