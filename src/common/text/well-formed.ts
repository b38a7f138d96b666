/**
 * Whether a string is well-formed Unicode: no lone UTF-16 surrogate (`\ud800` without its pair).
 * Such a string is not text: `encodeURIComponent` throws on it, PostgreSQL's JSON refuses it, and
 * UTF-8 cannot carry it. `String.prototype.isWellFormed` is native in Node 20 (ES2024), a lib
 * this project does not otherwise target, hence the cast.
 */
export function isWellFormed(text: string): boolean {
  return (text as string & { isWellFormed(): boolean }).isWellFormed();
}
