import { MailLanguage } from '../petitions/petition-status.js';

const SUPPORTED = new Set<string>(Object.values(MailLanguage));

/**
 * The signer's preferred language among those the mails exist in, from an Accept-Language header
 * (`ru-RU,ru;q=0.9,en;q=0.8`), or null when it names none of them.
 */
export function pickLanguage(header: string | undefined): MailLanguage | null {
  if (!header) return null;
  const ranked = header
    .split(',')
    .slice(0, 20)
    .map((part, index) => {
      const [tag, ...params] = part.trim().split(';');
      const q = params.map((p) => p.trim()).find((p) => p.startsWith('q='));
      const quality = q ? Number(q.slice(2)) : 1;
      return { base: tag.trim().toLowerCase().split('-')[0], quality, index };
    })
    .filter((entry) => SUPPORTED.has(entry.base) && entry.quality > 0)
    .sort((a, b) => b.quality - a.quality || a.index - b.index);
  return (ranked[0]?.base as MailLanguage | undefined) ?? null;
}
