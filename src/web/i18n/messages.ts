import { pickLanguage } from '../../signatures/accept-language.js';
import { en, type Messages } from './en.js';
import { type Format, makeFormat } from './format.js';
import { ru } from './ru.js';

export type Language = 'en' | 'ru';
export const LANGUAGES: readonly Language[] = ['en', 'ru'];

/** What a view needs to speak one language: its catalogue and its formats. */
export interface Speech {
  lang: Language;
  t: Messages;
  f: Format;
}

const SPEECH: Record<Language, Speech> = {
  en: { lang: 'en', t: en, f: makeFormat('en-GB') },
  ru: { lang: 'ru', t: ru, f: makeFormat('ru-RU') },
};

export function speech(lang: Language): Speech {
  return SPEECH[lang];
}

export function isLanguage(value: unknown): value is Language {
  return value === 'en' || value === 'ru';
}

/**
 * The page's language: `?lang=` when it names one we have, else the browser's Accept-Language,
 * else the fallback (the petition's or the signature's language, or English).
 */
export function chooseLanguage(
  query: unknown,
  acceptLanguage: string | undefined,
  fallback: string | null | undefined,
): Language {
  if (isLanguage(query)) return query;
  const accepted = pickLanguage(acceptLanguage);
  if (accepted) return accepted as Language;
  return isLanguage(fallback) ? fallback : 'en';
}

export function otherLanguage(lang: Language): Language {
  return lang === 'en' ? 'ru' : 'en';
}
