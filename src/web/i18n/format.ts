/**
 * Numbers, dates and plural forms for one language, through `Intl`. Built once per language and
 * shared: Intl formatters are costly to create and cheap to reuse.
 */
export interface Format {
  number(n: number): string;
  percent(ratio: number): string;
  /** A day, e.g. "1 March 2027" / "1 марта 2027 г.", in UTC. */
  date(at: Date | string): string;
  /** A day and time in UTC, e.g. "1 March 2027 at 14:05 UTC". */
  dateTime(at: Date | string): string;
  /** The form for `n`: English uses one/many, Russian one/few/many. */
  plural(n: number, one: string, few: string, many: string): string;
}

export function makeFormat(locale: string): Format {
  const number = new Intl.NumberFormat(locale);
  const percent = new Intl.NumberFormat(locale, { style: 'percent', maximumFractionDigits: 0 });
  const date = new Intl.DateTimeFormat(locale, { dateStyle: 'long', timeZone: 'UTC' });
  const dateTime = new Intl.DateTimeFormat(locale, {
    dateStyle: 'long',
    timeStyle: 'short',
    timeZone: 'UTC',
  });
  const plurals = new Intl.PluralRules(locale);
  const toDate = (at: Date | string) => (typeof at === 'string' ? new Date(at) : at);
  return {
    number: (n) => number.format(n),
    percent: (ratio) => percent.format(Math.max(0, ratio)),
    date: (at) => date.format(toDate(at)),
    dateTime: (at) => `${dateTime.format(toDate(at))} UTC`,
    plural: (n, one, few, many) => {
      const rule = plurals.select(n);
      return rule === 'one' ? one : rule === 'few' ? few : many;
    },
  };
}
