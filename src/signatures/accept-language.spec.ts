import { MailLanguage } from '../petitions/petition-status.js';
import { pickLanguage } from './accept-language.js';

describe('pickLanguage', () => {
  it('is null without a header', () => {
    expect(pickLanguage(undefined)).toBeNull();
    expect(pickLanguage('')).toBeNull();
  });

  it('takes the first supported language', () => {
    expect(pickLanguage('ru-RU,ru;q=0.9,en;q=0.8')).toBe(MailLanguage.Ru);
    expect(pickLanguage('de-DE,en;q=0.5')).toBe(MailLanguage.En);
    expect(pickLanguage('EN-gb')).toBe(MailLanguage.En);
  });

  it('is null when no supported language is named', () => {
    expect(pickLanguage('fr')).toBeNull();
    expect(pickLanguage('de-DE, fr;q=0.8, *;q=0.1')).toBeNull();
  });

  it('ranks by quality, then by position', () => {
    expect(pickLanguage('en;q=0.3, ru;q=0.7')).toBe(MailLanguage.Ru);
    expect(pickLanguage('en;q=0.5, ru;q=0.5')).toBe(MailLanguage.En);
    expect(pickLanguage('ru;q=0.5, en')).toBe(MailLanguage.En);
  });

  it('excludes languages with q=0', () => {
    expect(pickLanguage('ru;q=0, en;q=0.1')).toBe(MailLanguage.En);
    expect(pickLanguage('ru;q=0')).toBeNull();
  });
});
