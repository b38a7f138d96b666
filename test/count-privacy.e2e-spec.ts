import { AccountRole } from '../src/accounts/account-role.js';
import { SignatureExpiryService } from '../src/signatures/signature-expiry.service.js';
import {
  createAccount,
  createPetition,
  openPetition,
  type PetitionBody,
  type TestAccount,
} from './support/factories.js';
import { SmtpSink, tokenFrom } from './support/smtp-sink.js';
import { startTestApp, type TestApp } from './support/test-app.js';
import { waitFor } from './support/wait.js';

const PUBLIC_KEYS = ['needsReview', 'pending', 'rejected', 'updatedAt', 'verified', 'withdrawn'];
const MODERATOR_KEYS = [...PUBLIC_KEYS, 'expired', 'unconfirmed'].sort();

/**
 * Counts that reveal no one (issue 14, item 1): on a petition with email confirmation, signing
 * with a new address, signing again with one that signed, and an expiry leave everything a
 * non-moderator sees byte for byte as it was; the moderators' counts do move.
 */
describe('counts that reveal no one', () => {
  let t: TestApp;
  let smtp: SmtpSink;
  let organiser: TestAccount;
  let moderator: TestAccount;
  let admin: TestAccount;

  beforeAll(async () => {
    smtp = await new SmtpSink().start();
    t = await startTestApp({
      env: { SMTP_URL: smtp.url, SIGN_MIN_RESPONSE_MS: '0', SOURCE_BURST_LIMIT: '100000' },
    });
    organiser = await createAccount(t, AccountRole.Organiser);
    moderator = await createAccount(t, AccountRole.Moderator);
    admin = await createAccount(t, AccountRole.Admin);
  });
  afterAll(async () => {
    await t.close();
    await smtp.stop();
  });

  const sign = async (petition: PetitionBody, email: string, fullName = 'Vera Obraztsova') => {
    const res = await t
      .http()
      .post(`/v1/petitions/${petition.id}/signatures`)
      .send({ fullName, email })
      .expect(202);
    expect(res.text).toBe('{"status":"received"}');
  };
  const countsBody = async (petition: PetitionBody, who?: TestAccount) => {
    const req = t.http().get(`/v1/petitions/${petition.id}/counts`);
    if (who) req.set(who.auth);
    return (await req.expect(200)).text;
  };
  const moderatorCounts = async (petition: PetitionBody) =>
    JSON.parse(await countsBody(petition, moderator)) as Record<string, number | string | null>;
  const petitionCounts = async (petition: PetitionBody, who?: TestAccount) => {
    const req = t.http().get(`/v1/petitions/${petition.id}`);
    if (who) req.set(who.auth);
    return JSON.stringify((await req.expect(200)).body.counts);
  };
  const listedCounts = async (petition: PetitionBody) => {
    const res = await t.http().get('/v1/petitions?status=open&limit=100').expect(200);
    const item = (res.body.items as PetitionBody[]).find((p) => p.id === petition.id);
    return JSON.stringify(item?.counts);
  };
  const mineCounts = async (petition: PetitionBody) => {
    const res = await t.http().get('/v1/petitions/mine?limit=100').set(organiser.auth).expect(200);
    const item = (res.body.items as PetitionBody[]).find((p) => p.id === petition.id);
    return JSON.stringify(item?.counts);
  };
  const pageCounts = async (petition: PetitionBody) => {
    const res = await t.http().get(`/petitions/${petition.slug}?lang=en`).expect(200);
    const match = /<div class="counts">[\s\S]*?<\/dl>/u.exec(res.text);
    expect(match).not.toBeNull();
    return match![0];
  };
  /** Everything a non-moderator can read about the counts, as raw text. */
  const everythingPublic = async (petition: PetitionBody) => ({
    anonymous: await countsBody(petition),
    organiser: await countsBody(petition, organiser),
    petition: await petitionCounts(petition),
    petitionForOrganiser: await petitionCounts(petition, organiser),
    list: await listedCounts(petition),
    mine: await mineCounts(petition),
    page: await pageCounts(petition),
  });
  /** Waits until the moderators' counts show `field` at `n`: the cached counts were re-read. */
  const moderatorSees = (petition: PetitionBody, field: string, n: number) =>
    waitFor(`moderator sees ${field} = ${n}`, async () => {
      const c = await moderatorCounts(petition);
      return c[field] === n ? c : undefined;
    });

  /** A petition with one verified signature, so the public counts have a time of their own. */
  const petitionWithOneVerified = async (first: string) => {
    const petition = await openPetition(t, organiser, moderator);
    await sign(petition, first);
    const mail = await waitFor('first mail', async () => smtp.mailsTo(first)[0]);
    await t
      .http()
      .post('/v1/signatures/confirm')
      .send({ token: tokenFrom(mail) })
      .expect(200);
    await moderatorSees(petition, 'verified', 1);
    return petition;
  };

  it('shows moderators every status, and everyone else only the public ones', async () => {
    const petition = await openPetition(t, organiser, moderator);
    expect(Object.keys(JSON.parse(await countsBody(petition))).sort()).toEqual(PUBLIC_KEYS);
    expect(Object.keys(JSON.parse(await countsBody(petition, organiser))).sort()).toEqual(
      PUBLIC_KEYS,
    );
    expect(Object.keys(await moderatorCounts(petition)).sort()).toEqual(MODERATOR_KEYS);
    expect(Object.keys(JSON.parse(await countsBody(petition, admin))).sort()).toEqual(
      MODERATOR_KEYS,
    );
    expect(Object.keys(JSON.parse(await petitionCounts(petition, organiser))).sort()).toEqual(
      PUBLIC_KEYS,
    );
    expect(Object.keys(JSON.parse(await petitionCounts(petition, moderator))).sort()).toEqual(
      MODERATOR_KEYS,
    );
  });

  it('moves nothing public when a new address signs, nor when one that signed signs again', async () => {
    const petition = await petitionWithOneVerified('vera.first@example.org');
    const before = await everythingPublic(petition);
    const moderatorBefore = await moderatorCounts(petition);
    expect(JSON.parse(before.anonymous).updatedAt).not.toBeNull();

    await sign(petition, 'vera.new@example.org', 'Vera Novikova');
    const afterNew = await moderatorSees(petition, 'unconfirmed', 1);
    expect(afterNew.updatedAt).not.toBe(moderatorBefore.updatedAt);
    expect(await everythingPublic(petition)).toEqual(before);

    // Repeats: of the verified signer and of the unconfirmed one. Another new signer after them
    // shows when the counts have been read again.
    await sign(petition, 'vera.first@example.org');
    await sign(petition, 'vera.new@example.org', 'Vera Novikova');
    await sign(petition, 'vera.marker@example.org', 'Vera Metkina');
    await moderatorSees(petition, 'unconfirmed', 2);
    expect(await everythingPublic(petition)).toEqual(before);
  });

  it('moves nothing public when an unconfirmed signature expires', async () => {
    const petition = await petitionWithOneVerified('vera.early@example.org');
    await sign(petition, 'vera.late@example.org', 'Vera Opozdalova');
    await moderatorSees(petition, 'unconfirmed', 1);
    const before = await everythingPublic(petition);

    await t.db.query(
      `UPDATE signatures SET token_expires_at = now() - interval '1 minute'
        WHERE petition_id = $1 AND status = 'unconfirmed'`,
      [petition.id],
    );
    expect(await t.app.get(SignatureExpiryService).expireDue()).toBe(1);
    await moderatorSees(petition, 'expired', 1);
    expect(await everythingPublic(petition)).toEqual(before);

    // Signing again after expiry starts it over unconfirmed: still nothing public.
    await sign(petition, 'vera.late@example.org', 'Vera Opozdalova');
    await moderatorSees(petition, 'unconfirmed', 1);
    expect(await everythingPublic(petition)).toEqual(before);
  });

  it('moves the public counts, and their time, once a signature is confirmed', async () => {
    const petition = await petitionWithOneVerified('vera.third@example.org');
    const before = JSON.parse(await countsBody(petition)) as Record<string, unknown>;
    await sign(petition, 'vera.second@example.org', 'Vera Vtorova');
    const mail = await waitFor('mail', async () => smtp.mailsTo('vera.second@example.org')[0]);
    await t
      .http()
      .post('/v1/signatures/confirm')
      .send({ token: tokenFrom(mail) })
      .expect(200);
    const after = await waitFor('public verified = 2', async () => {
      const c = JSON.parse(await countsBody(petition)) as Record<string, unknown>;
      return c.verified === 2 ? c : undefined;
    });
    expect(after.updatedAt).not.toBe(before.updatedAt);
  });

  it('warns, when a petition is created without confirmation, what that gives up', async () => {
    const res = await t
      .http()
      .post('/v1/petitions')
      .set(organiser.auth)
      .send({
        title: 'Open letter on the tram depot',
        body: 'We ask the council to keep the depot.',
        addressee: 'The City Council',
        requireEmailConfirmation: false,
      })
      .expect(201);
    expect(res.body.warnings).toEqual([expect.stringMatching(/whether it signed/u)]);
    const safe = await createPetition(t, organiser);
    expect(safe.warnings).toEqual([]);
  });
});
