import type { PetitionBody } from './factories.js';
import type { TestApp } from './test-app.js';
import { waitFor } from './wait.js';

export interface ReviewSigner {
  id: string;
  fullName: string;
  email: string;
}

/**
 * `n` more signatures in review on a petition without email confirmation, oldest first: signed
 * one after another with throwaway (mailinator.com) addresses, which the checks send to a
 * moderator. Waits until the checks have decided every one.
 */
export async function reviewSignatures(
  t: TestApp,
  petition: PetitionBody,
  names: string[],
): Promise<ReviewSigner[]> {
  const signers = names.map((fullName, i) => ({
    fullName,
    email: `${fullName.toLowerCase().replace(/[^a-z]+/g, '.')}.${i}@mailinator.com`,
    district: 'Riverside',
  }));
  for (const signer of signers) {
    await t.http().post(`/v1/petitions/${petition.id}/signatures`).send(signer).expect(202);
  }
  const wanted = new Set(names);
  const rows = await waitFor(
    `${names.length} signatures in review`,
    async () => {
      const { rows } = await t.db.query<{
        id: string;
        full_name: string;
        status: string;
        created_at: Date;
      }>(
        `SELECT id, full_name, status, created_at FROM signatures
          WHERE petition_id = $1 AND full_name = ANY($2::text[])`,
        [petition.id, names],
      );
      return rows.length === names.length && rows.every((r) => r.status !== 'pending')
        ? rows
        : undefined;
    },
    { timeoutMs: 30_000 },
  );
  const notInReview = rows.filter((r) => r.status !== 'needs_review' || !wanted.has(r.full_name));
  if (notInReview.length > 0) {
    throw new Error(`not in review: ${notInReview.map((r) => r.status).join(', ')}`);
  }
  rows.sort((a, b) => a.created_at.getTime() - b.created_at.getTime() || a.id.localeCompare(b.id));
  const emails = new Map(signers.map((s) => [s.fullName, s.email]));
  return rows.map((r) => ({ id: r.id, fullName: r.full_name, email: emails.get(r.full_name)! }));
}
