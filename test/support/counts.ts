import { isDeepStrictEqual } from 'node:util';
import { COUNT_COLUMN, SIGNATURE_STATUSES } from '../../src/signatures/signature-status.js';
import { ADMIN_TOKEN, type TestApp } from './test-app.js';
import { waitFor } from './wait.js';

/**
 * A petition's counts two ways: from the counts endpoint and from GROUP BY status over its rows,
 * both keyed by the endpoint's field names, so a spec can check that they reconcile.
 */

/** snake_case to camelCase: the count column `needs_review` is the API field `needsReview`. */
const camelCase = (column: string) =>
  column.replace(/_([a-z])/g, (_, c: string) => c.toUpperCase());

/** The counts endpoint's field for each signature status (`needs_review` → `needsReview`). */
export const COUNT_FIELD: Readonly<Record<string, string>> = Object.fromEntries(
  SIGNATURE_STATUSES.map((status) => [status, camelCase(COUNT_COLUMN[status])]),
);

/**
 * The petition's counts as GROUP BY status of its rows, shaped like the counts endpoint: every
 * status's field is present, 0 when the petition has no signature in it.
 */
export async function rowCounts(t: TestApp, petitionId: string): Promise<Record<string, number>> {
  const counts: Record<string, number> = Object.fromEntries(
    Object.values(COUNT_FIELD).map((field) => [field, 0]),
  );
  const { rows } = await t.db.query<{ status: string; n: number }>(
    `SELECT status, count(*)::int AS n FROM signatures WHERE petition_id = $1 GROUP BY status`,
    [petitionId],
  );
  for (const row of rows) {
    const field = COUNT_FIELD[row.status];
    if (field === undefined) throw new Error(`a signature has an unknown status: ${row.status}`);
    counts[field] = row.n;
  }
  return counts;
}

/**
 * What `GET /v1/petitions/:id/counts` answers a moderator now (it is cached about a second),
 * without `updatedAt`: every status, as the rows have them (the public see fewer).
 */
export async function apiCounts(t: TestApp, petitionId: string): Promise<Record<string, number>> {
  const res = await t
    .http()
    .get(`/v1/petitions/${petitionId}/counts`)
    .set({ Authorization: `Bearer ${ADMIN_TOKEN}` })
    .expect(200);
  const { updatedAt: _ignored, ...counts } = res.body as Record<string, number>;
  return counts;
}

/**
 * Polls until the counts endpoint (cached about a second) equals the rows grouped by status,
 * exactly, and returns those counts. After `timeoutMs` (20 s unless given) it fails, showing the
 * last API counts and row counts it compared.
 */
export async function countsMatchRows(
  t: TestApp,
  petitionId: string,
  timeoutMs = 20_000,
): Promise<Record<string, number>> {
  let last: { api: Record<string, number>; rows: Record<string, number> } | undefined;
  try {
    return await waitFor(
      'the counts endpoint to equal the rows',
      async () => {
        const [api, rows] = await Promise.all([apiCounts(t, petitionId), rowCounts(t, petitionId)]);
        last = { api, rows };
        return isDeepStrictEqual(api, rows) ? rows : undefined;
      },
      { timeoutMs, intervalMs: 200 },
    );
  } catch (error) {
    if (last === undefined) throw error;
    throw new Error(
      `${error instanceof Error ? error.message : String(error)}\n` +
        `  api:  ${JSON.stringify(last.api)}\n  rows: ${JSON.stringify(last.rows)}`,
      { cause: error },
    );
  }
}
