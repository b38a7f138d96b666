/**
 * Makes a cell safe to open in a spreadsheet: a value starting with `=`, `+`, `-`, `@`, a tab or
 * a carriage return would be run as a formula (CSV injection), so it gets a leading apostrophe,
 * which spreadsheets show as text. OWASP's recommendation.
 */
export function formulaSafe(value: string | null): string {
  if (value === null) return '';
  return /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
}
