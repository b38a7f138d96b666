import type { FastifyRequest } from 'fastify';
import { pickLanguage } from '../signatures/accept-language.js';
import { isLanguage, type Language } from './i18n/messages.js';

/** A field of a posted form (or a query parameter) given once as text, else undefined. */
export function field(source: unknown, name: string): string | undefined {
  const value = (source as Record<string, unknown> | undefined)?.[name];
  return typeof value === 'string' ? value : undefined;
}

/**
 * The language the reader asked for: the posted form's `lang`, else `?lang=`, else the
 * browser's Accept-Language; null when they named none of ours.
 */
export function askedLanguage(request: FastifyRequest): Language | null {
  const asked = field(request.body, 'lang') ?? field(request.query, 'lang');
  if (isLanguage(asked)) return asked;
  return pickLanguage(request.headers['accept-language']) as Language | null;
}
