import { randomBytes } from 'node:crypto';
import { AccountRole } from '../../src/accounts/account-role.js';
import { ADMIN_TOKEN, type TestApp } from './test-app.js';

export interface TestAccount {
  id: string;
  token: string;
  email: string;
  role: AccountRole;
  auth: { Authorization: string };
}

export const adminAuth = { Authorization: `Bearer ${ADMIN_TOKEN}` };

/** An account created through the API, with made-up details. */
export async function createAccount(
  t: TestApp,
  role: AccountRole,
  overrides: { email?: string } = {},
): Promise<TestAccount> {
  const email = overrides.email ?? `${role}-${randomBytes(4).toString('hex')}@example.test`;
  const res = await t
    .http()
    .post('/v1/accounts')
    .set(adminAuth)
    .send({ email, displayName: `Test ${role}`, role })
    .expect(201);
  const { id, token } = res.body as { id: string; token: string };
  return { id, token, email, role, auth: { Authorization: `Bearer ${token}` } };
}

export function petitionInput(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    title: `Open letter on the river embankment ${randomBytes(3).toString('hex')}`,
    body: 'We, the undersigned, ask the council to keep the embankment open to the public.',
    addressee: 'The City Council',
    ...overrides,
  };
}

export interface PetitionBody {
  id: string;
  slug: string;
  status: string;
  organiserId: string;
  [key: string]: unknown;
}

export async function createPetition(
  t: TestApp,
  organiser: TestAccount,
  overrides: Record<string, unknown> = {},
): Promise<PetitionBody> {
  const res = await t
    .http()
    .post('/v1/petitions')
    .set(organiser.auth)
    .send(petitionInput(overrides))
    .expect(201);
  return res.body as PetitionBody;
}

/** A petition taken through draft → submitted → open. */
export async function openPetition(
  t: TestApp,
  organiser: TestAccount,
  moderator: TestAccount,
  overrides: Record<string, unknown> = {},
): Promise<PetitionBody> {
  const petition = await createPetition(t, organiser, overrides);
  await t.http().post(`/v1/petitions/${petition.id}/submit`).set(organiser.auth).expect(200);
  const res = await t
    .http()
    .post(`/v1/moderation/petitions/${petition.id}/decision`)
    .set(moderator.auth)
    .send({ decision: 'approve' })
    .expect(200);
  return res.body as PetitionBody;
}
