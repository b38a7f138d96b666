import { AccountRole } from '../../../src/accounts/account-role.js';
import { createAccount, createPetition, openPetition, type TestAccount } from '../factories.js';
import { ADMIN_TOKEN, type TestApp } from '../test-app.js';
import type { KnownValues, Role } from './arbitraries.js';

/**
 * What the fuzz suite needs for its requests to reach past validation: an account per role, and
 * things that exist (petitions in every state, a register, signatures, an invalidation, an
 * account it may deactivate) whose ids and slugs it sends.
 */
export interface FuzzFixtures {
  authorization(role: Role, bad?: string): string | undefined;
  known: KnownValues;
  /**
   * Puts back what a run may have used up (the fuzzer closes open petitions and decides
   * signatures, as it should), and reads the ids that exist now.
   */
  refresh(): Promise<void>;
}

export async function createFuzzFixtures(t: TestApp): Promise<FuzzFixtures> {
  const organiser = await createAccount(t, AccountRole.Organiser);
  const moderator = await createAccount(t, AccountRole.Moderator);
  // One the fuzzer may rotate the token of or deactivate: never one of the role accounts above.
  const spare = await createAccount(t, AccountRole.Organiser);
  const tokens: Record<Role, string | undefined> = {
    anonymous: undefined,
    badToken: undefined,
    organiser: organiser.token,
    moderator: moderator.token,
    admin: ADMIN_TOKEN,
  };

  const draft = await createPetition(t, organiser);
  const submitted = await createPetition(t, organiser);
  await t.http().post(`/v1/petitions/${submitted.id}/submit`).set(organiser.auth).expect(200);
  const register = await t
    .http()
    .post('/v1/registers')
    .set(moderator.auth)
    .send({ name: 'Fuzz register' })
    .expect(201);
  await t
    .http()
    .put(`/v1/registers/${register.body.id}/entries`)
    .set(moderator.auth)
    .send({ entries: [{ fullName: 'Anna Fuzz', district: 'North' }] })
    .expect(200);
  const closed = await openPetition(t, organiser, moderator);
  await t.http().post(`/v1/petitions/${closed.id}/close`).set(organiser.auth).expect(200);

  const known: KnownValues = {
    petition: [draft.id, draft.slug, submitted.id, closed.id, closed.slug],
    register: [register.body.id],
    account: [spare.id],
    signature: [],
    invalidation: [],
  };
  const fixed = {
    petition: [...known.petition],
    account: [...known.account],
    register: [...known.register],
  };

  const refresh = async () => {
    await ensureOpenPetition(t, organiser, moderator, register.body.id);
    const petitions = await t.db.query<{ id: string; slug: string }>(
      "SELECT id, slug FROM petitions WHERE status = 'open' ORDER BY created_at DESC LIMIT 3",
    );
    const signatures = await t.db.query<{ id: string }>(
      'SELECT id FROM signatures ORDER BY created_at DESC LIMIT 8',
    );
    const invalidations = await t.db.query<{ id: string }>(
      'SELECT id FROM invalidations ORDER BY created_at DESC LIMIT 3',
    );
    known.petition = [...fixed.petition, ...petitions.rows.flatMap((p) => [p.id, p.slug])];
    known.signature = signatures.rows.map((s) => s.id);
    known.invalidation = invalidations.rows.map((i) => i.id);
  };

  // Something to decide, to invalidate and to look up.
  const open = await ensureOpenPetition(t, organiser, moderator, register.body.id);
  for (const email of ['anna.fuzz@example.org', 'boris.fuzz@example.com', 'vera@example.net']) {
    await t
      .http()
      .post(`/v1/petitions/${open}/signatures`)
      .send({ fullName: 'Anna Fuzz', email, district: 'North' })
      .expect(202);
  }
  await t
    .http()
    .post('/v1/moderation/invalidations')
    .set(moderator.auth)
    .send({
      petitionId: open,
      criteria: { emailDomain: 'example.net' },
      reasonCode: 'fraudulent',
      dryRun: true,
    })
    .expect(201);
  await refresh();

  return {
    known,
    refresh,
    authorization: (role, bad) =>
      role === 'badToken' ? bad : tokens[role] ? `Bearer ${tokens[role]}` : undefined,
  };
}

/** An open petition on the register, without email confirmation; a new one if none is left. */
async function ensureOpenPetition(
  t: TestApp,
  organiser: TestAccount,
  moderator: TestAccount,
  registerId: string,
): Promise<string> {
  const open = await t.db.query<{ id: string }>(
    "SELECT id FROM petitions WHERE status = 'open' AND register_id = $1 LIMIT 1",
    [registerId],
  );
  if (open.rows[0]) return open.rows[0].id;
  const petition = await openPetition(t, organiser, moderator, {
    requireEmailConfirmation: false,
    registerId,
  });
  return petition.id;
}
