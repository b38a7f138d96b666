/**
 * For a job that works on many signatures: fails it when any of them failed (except those
 * `settled` accepts as done), so that BullMQ retries it; the retry redoes only what is still owed.
 * The message counts the failures and quotes up to three distinct reasons, which must be the
 * service's own words (never signer data or a server's reply).
 */
export function failIfAnyRejected(
  results: ReadonlyArray<PromiseSettledResult<unknown>>,
  what: string,
  settled: (reason: unknown) => boolean = () => false,
): void {
  const failed = results.filter(
    (r): r is PromiseRejectedResult => r.status === 'rejected' && !settled(r.reason),
  );
  if (failed.length === 0) return;
  const reasons = new Set(failed.map((r) => (r.reason as Error).message));
  throw new Error(
    `${failed.length} of ${results.length} ${what}: ${[...reasons].slice(0, 3).join('; ')}`,
  );
}
