/** Levenshtein distance (insertions, deletions, substitutions), in O(a·b) time and O(b) space. */
export function editDistance(a: string, b: string): number {
  if (a === b) return 0;
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      const substitution = previous[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1);
      current[j] = Math.min(previous[j] + 1, current[j - 1] + 1, substitution);
    }
    previous = current;
  }
  return previous[b.length];
}

/** How many letters may differ for two name keys to count as a near miss (a typo, not a person). */
export function allowedEdits(key: string): number {
  if (key.length <= 8) return 1;
  if (key.length <= 20) return 2;
  return 3;
}
