import { transliterate } from 'transliteration';

/**
 * A comparison key for a person's name, so that the same person written differently matches:
 * case, extra whitespace, hyphens, `ё`/`е`, name order (surname first or last) and Cyrillic or
 * Latin spelling all fold away. `Пётр Иванов-Сидоров`, `ИВАНОВ-СИДОРОВ Петр` and
 * `Petr Ivanov Sidorov` have one key. Used for duplicate-person checks and register matching.
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
    .sort()
    .join(' ');
}
