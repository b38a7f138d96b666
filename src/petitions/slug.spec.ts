import { makeSlug, nextFreeSlug } from './slug.js';

describe('makeSlug', () => {
  it('transliterates Cyrillic titles', () => {
    expect(makeSlug('Открытое письмо муниципальных депутатов')).toBe(
      'otkrytoe-pismo-municipalnyh-deputatov',
    );
    expect(makeSlug('Ёлки и щёлочь')).toMatch(/^[a-z0-9-]+$/);
    expect(makeSlug('Ёлки и щёлочь')).toContain('yolki');
  });

  it('lower-cases, drops punctuation and collapses separators', () => {
    expect(makeSlug('  Save   the "Old" Library!!  ')).toBe('save-the-old-library');
  });

  it('cuts long titles at a word boundary', () => {
    const slug = makeSlug('word '.repeat(60));
    expect(slug.length).toBeLessThanOrEqual(80);
    expect(slug.endsWith('-')).toBe(false);
    expect(slug.split('-').every((part) => part === 'word')).toBe(true);
  });

  it('falls back when nothing is left', () => {
    expect(makeSlug('!!! ???')).toBe('petition');
  });

  it('never produces a route word', () => {
    expect(makeSlug('Mine!!')).toBe('p-mine');
    expect(makeSlug('Mine is the river')).toBe('mine-is-the-river');
  });

  it('never produces something read as a UUID', () => {
    expect(makeSlug('123e4567-e89b-12d3-a456-426614174000')).toMatch(/^p-/);
  });
});

describe('nextFreeSlug', () => {
  it('keeps the base when free', () => {
    expect(nextFreeSlug('a', [])).toBe('a');
  });
  it('numbers the next free variant', () => {
    expect(nextFreeSlug('a', ['a', 'a-2', 'a-3'])).toBe('a-4');
    expect(nextFreeSlug('a', ['a', 'a-3'])).toBe('a-2');
  });
});
