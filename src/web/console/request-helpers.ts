import type { FastifyRequest } from 'fastify';
import { pickLanguage } from '../../signatures/accept-language.js';
import { isLanguage, type Language, otherLanguage } from '../i18n/messages.js';
import { withLanguage } from '../page-response.js';

type Fields = Record<string, unknown>;

/** A field of a posted form (or a query parameter) given once as text, else undefined. */
export function field(source: unknown, name: string): string | undefined {
  const value = (source as Fields | undefined)?.[name];
  return typeof value === 'string' ? value : undefined;
}

/** The console's language: the form's, ?lang=, the browser's, else English. */
export function consoleLanguage(request: FastifyRequest): Language {
  const asked = field(request.body, 'lang') ?? field(request.query, 'lang');
  if (isLanguage(asked)) return asked;
  return (pickLanguage(request.headers['accept-language']) as Language | null) ?? 'en';
}

/** This page in the other language; after a POST, the page the form came from is not known, so home. */
export function consoleSwitchHref(request: FastifyRequest, lang: Language): string {
  return request.method === 'GET'
    ? withLanguage(request.url, otherLanguage(lang))
    : `/console?lang=${otherLanguage(lang)}`;
}
