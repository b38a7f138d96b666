import { slugify } from 'transliteration';

const MAX_LENGTH = 80;
const UUID_LIKE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/;
/** Words that are routes under /v1/petitions/, so no petition may be reached by them. */
const RESERVED = new Set(['mine']);

/**
 * A readable URL slug from a title in any script: Cyrillic and other scripts are transliterated
 * to Latin, so `Открытое письмо` becomes `otkrytoe-pismo`. Cut at a word boundary. A slug that
 * looks like a UUID or is a route word (`mine`) is prefixed, so `/petitions/:idOrSlug` reaches it.
 */
export function makeSlug(title: string): string {
  let slug = slugify(title, { lowercase: true, separator: '-', trim: true })
    .replace(/[^a-z0-9-]+/g, '')
    .replace(/-{2,}/g, '-')
    .replace(/^-|-$/g, '');
  if (slug.length > MAX_LENGTH) {
    const cut = slug.slice(0, MAX_LENGTH + 1);
    const lastDash = cut.lastIndexOf('-');
    slug = (lastDash > MAX_LENGTH / 2 ? cut.slice(0, lastDash) : cut.slice(0, MAX_LENGTH)).replace(
      /-$/,
      '',
    );
  }
  if (slug === '') slug = 'petition';
  if (UUID_LIKE.test(slug) || RESERVED.has(slug)) slug = `p-${slug}`;
  return slug;
}

/** The next free variant of `base` given the slugs already taken: base, base-2, base-3, ... */
export function nextFreeSlug(base: string, taken: readonly string[]): string {
  const used = new Set(taken);
  if (!used.has(base)) return base;
  let n = 2;
  while (used.has(`${base}-${n}`)) n++;
  return `${base}-${n}`;
}
