/** A limit written `N/SECONDS`: at most N in any window of that many seconds; N = 0 turns it off. */
export interface RateRule {
  points: number;
  seconds: number;
}

const RULE = /^(\d{1,9})\/(\d{1,9})$/;

/** Parses `N/SECONDS`, or returns null when it is not one. */
export function parseRateRule(text: string): RateRule | null {
  const match = RULE.exec(text.trim());
  if (!match) return null;
  const points = Number(match[1]);
  const seconds = Number(match[2]);
  if (seconds < 1) return null;
  return { points, seconds };
}
