import { en } from './en.js';
import { chooseLanguage, speech } from './messages.js';
import { ru } from './ru.js';

/** Every leaf of a catalogue, by its dotted path. */
function leaves(value: unknown, path = ''): Map<string, unknown> {
  const out = new Map<string, unknown>();
  if (value !== null && typeof value === 'object' && !Array.isArray(value)) {
    for (const [key, item] of Object.entries(value))
      for (const [p, v] of leaves(item, path ? `${path}.${key}` : key)) out.set(p, v);
  } else {
    out.set(path, value);
  }
  return out;
}

describe('message catalogues', () => {
  it('have the same keys in English and Russian, reasons included', () => {
    expect([...leaves(ru).keys()].sort()).toEqual([...leaves(en).keys()].sort());
  });

  it('have no empty string and no untranslated sentence in Russian', () => {
    const english = leaves(en);
    for (const [path, value] of leaves(ru)) {
      if (typeof value !== 'string' || path === 'site.name') continue;
      expect(value.trim()).not.toBe('');
      expect({ path, value }).not.toEqual({ path, value: english.get(path) });
    }
  });

  it('use Russian plural forms', () => {
    const { t, f } = speech('ru');
    expect(t.counts.verified(f, 1)).toBe('1 проверенная подпись');
    expect(t.counts.verified(f, 3)).toBe('3 проверенные подписи');
    expect(t.counts.verified(f, 11)).toBe('11 проверенных подписей');
    expect(t.counts.verified(f, 21)).toBe('21 проверенная подпись');
  });

  it('format numbers and dates for the language', () => {
    const at = new Date('2027-03-01T14:05:00Z');
    expect(speech('en').f.date(at)).toBe('1 March 2027');
    expect(speech('ru').f.date(at)).toMatch(/^1 марта 2027/);
    expect(speech('en').f.number(12345)).toBe('12,345');
    expect(speech('ru').f.number(12345)).toMatch(/^12\s345$/);
  });
});

describe('chooseLanguage', () => {
  it('prefers ?lang=, then Accept-Language, then the fallback', () => {
    expect(chooseLanguage('ru', 'en-GB', 'en')).toBe('ru');
    expect(chooseLanguage(undefined, 'ru-RU,ru;q=0.9', 'en')).toBe('ru');
    expect(chooseLanguage('de', 'de-DE', 'ru')).toBe('ru');
    expect(chooseLanguage(['ru', 'en'], undefined, undefined)).toBe('en');
  });
});
