import type { FastifyRequest } from 'fastify';
import { type Language, otherLanguage } from '../i18n/messages.js';
import { askedLanguage } from '../request-fields.js';
import { withLanguage } from '../page-response.js';

export { field } from '../request-fields.js';

/** The console's language: the form's, ?lang=, the browser's, else English. */
export function consoleLanguage(request: FastifyRequest): Language {
  return askedLanguage(request) ?? 'en';
}

/** This page in the other language; after a POST, the page the form came from is not known, so home. */
export function consoleSwitchHref(request: FastifyRequest, lang: Language): string {
  return request.method === 'GET'
    ? withLanguage(request.url, otherLanguage(lang))
    : `/console?lang=${otherLanguage(lang)}`;
}
