import { AccountRole } from '../src/accounts/account-role.js';
import type { SignatureEventResponse } from '../src/moderation/dto/review-queue.dto.js';
import { consoleSession, csrfFor, FORM } from './support/console.js';
import {
  createAccount,
  openPetition,
  type PetitionBody,
  type TestAccount,
} from './support/factories.js';
import { reviewSignatures } from './support/review-signatures.js';
import { SmtpSink } from './support/smtp-sink.js';
import { startTestApp, type TestApp } from './support/test-app.js';
import { waitFor } from './support/wait.js';

const THRESHOLD = 3;

/**
 * The moderators' console pages over HTTP, with session cookies as a browser without JavaScript
 * sends them: the review queue (claim, decide with a reason, release), bulk invalidation with its
 * second moderator, registers and their uploads, and a signature's history. Every change is
 * checked through the JSON API or the database, not only on the page.
 */
describe('console moderation pages', () => {
  let t: TestApp;
  let smtp: SmtpSink;
  let organiser: TestAccount;
  let moderatorA: TestAccount;
  let moderatorB: TestAccount;
  let organiserCookie: string;
  let cookieA: string;
  let cookieB: string;

  beforeAll(async () => {
    smtp = await new SmtpSink().start();
    t = await startTestApp({
      env: {
        SMTP_URL: smtp.url,
        RATE_LIMIT_SIGN_IN: '100/900',
        SOURCE_BURST_LIMIT: '100000',
        SIGN_MIN_RESPONSE_MS: '0',
        INVALIDATION_APPROVAL_THRESHOLD: String(THRESHOLD),
      },
    });
    organiser = await createAccount(t, AccountRole.Organiser);
    moderatorA = await createAccount(t, AccountRole.Moderator);
    moderatorB = await createAccount(t, AccountRole.Moderator);
    organiserCookie = await consoleSession(t, smtp, organiser.email);
    cookieA = await consoleSession(t, smtp, moderatorA.email);
    cookieB = await consoleSession(t, smtp, moderatorB.email);
  });
  afterAll(async () => {
    await t?.close();
    await smtp?.stop();
  });

  // ---------------------------------------------------------------- helpers

  const petition = () =>
    openPetition(t, organiser, moderatorA, { requireEmailConfirmation: false });

  const get = (cookie: string, path: string) => t.http().get(path).set('cookie', cookie);

  /** Posts a console form as a browser would, with the session's anti-forgery token. */
  const post = async (cookie: string, path: string, fields: Record<string, string | string[]>) =>
    t
      .http()
      .post(path)
      .set('cookie', cookie)
      .type(FORM)
      .send({ _csrf: await csrfFor(t, cookie), lang: 'en', ...fields });

  /** Follows a 303 of a console form to the page it leads to. */
  const follow = (cookie: string, res: { status: number; headers: Record<string, string> }) => {
    expect(res.status).toBe(303);
    return get(cookie, res.headers.location).expect(200);
  };

  const status = async (signatureId: string): Promise<string> => {
    const { rows } = await t.db.query<{ status: string }>(
      'SELECT status FROM signatures WHERE id = $1',
      [signatureId],
    );
    return rows[0].status;
  };

  const events = async (signatureId: string): Promise<SignatureEventResponse[]> => {
    const res = await t
      .http()
      .get(`/v1/signatures/${signatureId}/events`)
      .set(moderatorB.auth)
      .expect(200);
    return res.body.items as SignatureEventResponse[];
  };

  /** The name in the review page's heading of the signature shown in full. */
  const currentName = (html: string): string | undefined =>
    /<h2 id="current-name">([^<]*)<\/h2>/.exec(html)?.[1];

  const claim = (cookie: string, p: PetitionBody, limit = '10') =>
    post(cookie, '/console/review/claim', { petitionId: p.id, limit });

  // ---------------------------------------------------------------- roles

  it('answers an organiser 404 on every moderation page and form', async () => {
    const p = await petition();
    const [signer] = await reviewSignatures(t, p, ['Olga Organiserova']);
    const register = await t
      .http()
      .post('/v1/registers')
      .set(moderatorA.auth)
      .send({ name: 'Deputies of Sampletown' })
      .expect(201);
    const invalidation = await t
      .http()
      .post('/v1/moderation/invalidations')
      .set(moderatorA.auth)
      .send({
        petitionId: p.id,
        criteria: { emailDomain: 'mailinator.com' },
        reasonCode: 'fraudulent',
        dryRun: true,
      })
      .expect(201);
    const registerId = register.body.id as string;
    const invalidationId = invalidation.body.id as string;
    const pages = [
      '/console/review',
      `/console/review?petitionId=${p.id}`,
      `/console/signatures/${signer.id}`,
      '/console/invalidations',
      `/console/invalidations/${invalidationId}`,
      '/console/registers',
      `/console/registers/${registerId}`,
    ];
    for (const path of pages) {
      expect({ path, status: (await get(organiserCookie, path)).status }).toEqual({
        path,
        status: 404,
      });
      // The moderator's own session sees each one.
      expect({ path, status: (await get(cookieA, path)).status }).toEqual({ path, status: 200 });
    }
    const forms: Array<[string, Record<string, string>]> = [
      ['/console/review/claim', { limit: '10' }],
      ['/console/review/release-all', {}],
      [`/console/review/${signer.id}/decision`, { decision: 'reject', reasonCode: 'fraudulent' }],
      [`/console/review/${signer.id}/release`, {}],
      ['/console/invalidations/preview', { petitionId: p.id, emailDomain: 'mailinator.com' }],
      [`/console/invalidations/${invalidationId}/request`, {}],
      [`/console/invalidations/${invalidationId}/approve`, {}],
      [`/console/invalidations/${invalidationId}/cancel`, {}],
      ['/console/registers', { name: 'Organiser’s register' }],
    ];
    for (const [path, fields] of forms) {
      const res = await post(organiserCookie, path, fields);
      expect({ path, status: res.status }).toEqual({ path, status: 404 });
    }
    const upload = await t
      .http()
      .post(`/console/registers/${registerId}/entries`)
      .set('cookie', organiserCookie)
      .field('_csrf', await csrfFor(t, organiserCookie))
      .attach('file', Buffer.from('fullName\nAnna Testova\n'), {
        filename: 'register.csv',
        contentType: 'text/csv',
      });
    expect(upload.status).toBe(404);
    // Nothing the organiser sent changed anything.
    expect(await status(signer.id)).toBe('needs_review');
    const { rows } = await t.db.query(
      `SELECT (SELECT count(*)::int FROM eligibility_registers) AS registers,
              (SELECT version FROM eligibility_registers WHERE id = $1) AS version,
              (SELECT status FROM invalidations WHERE id = $2) AS invalidation,
              (SELECT count(*)::int FROM signatures WHERE claimed_by IS NOT NULL) AS claims`,
      [registerId, invalidationId],
    );
    expect(rows[0]).toEqual({ registers: 1, version: 0, invalidation: 'preview', claims: 0 });
  });

  // ---------------------------------------------------------------- review queue

  it('claims a batch, shows each signature’s checks, risk and history, and decides one after another', async () => {
    const p = await petition();
    const signers = await reviewSignatures(t, p, [
      'Anna Reviewova',
      'Boris Reviewov',
      'Vera Reviewova',
    ]);
    const before = await get(cookieA, `/console/review?petitionId=${p.id}&lang=en`).expect(200);
    expect(before.text).toContain('You hold no signatures to review.');
    expect(before.text).toContain('3 signatures wait for review; 3 not claimed by anyone.');

    const claimed = await claim(cookieA, p, '2');
    expect(claimed.headers.location).toBe(
      `/console/review?petitionId=${p.id}&notice=claimed&n=2&lang=en`,
    );
    const page = await follow(cookieA, claimed);
    expect(page.text).toContain('You claimed 2 signatures.');
    expect(currentName(page.text)).toBe('Anna Reviewova');
    expect(page.text).toContain('Your claim lasts until');
    expect(page.text).toContain('mailinator.com');
    expect(page.text).not.toContain(signers[0].email); // the domain only, never the address
    expect(page.text).toContain('Throwaway email'); // the check, by name
    expect(page.text).toMatch(/Risk score: \d+ out of 100/);
    expect(page.text).toContain(`/console/signatures/${signers[0].id}`);
    // Only the codes that fit each decision are offered in its form.
    const verifyForm = /data-decision="verify"[\s\S]*?<\/form>/.exec(page.text)![0];
    const rejectForm = /data-decision="reject"[\s\S]*?<\/form>/.exec(page.text)![0];
    expect(verifyForm).toContain('value="identity_confirmed"');
    expect(verifyForm).not.toContain('value="fraudulent"');
    expect(rejectForm).toContain('value="fraudulent"');
    expect(rejectForm).not.toContain('value="identity_confirmed"');
    // The next of the batch is listed, the third (not claimed) is not.
    expect(page.text).toContain('Boris Reviewov');
    expect(page.text).not.toContain('Vera Reviewova');
    // Only the review page loads the shortcuts script.
    expect(page.text).toMatch(/<script src="\/assets\/console-review\.[0-9a-f]{12}\.js" defer/);

    // A decision without a reason comes back with the problem, the note kept.
    const missing = await post(cookieA, `/console/review/${signers[0].id}/decision`, {
      decision: 'reject',
      reasonCode: '',
      note: 'Same throwaway domain as the others',
    });
    expect(missing.status).toBe(400);
    expect(missing.text).toContain('There is a problem');
    expect(missing.text).toContain('href="#reject-reasonCode"');
    expect(missing.text).toContain('Choose a reason');
    expect(missing.text).toContain('Same throwaway domain as the others');
    // A code that does not fit the decision is refused with the API's rule.
    const misfit = await post(cookieA, `/console/review/${signers[0].id}/decision`, {
      decision: 'verify',
      reasonCode: 'fraudulent',
    });
    expect(misfit.status).toBe(400);
    expect(misfit.text).toContain('Choose a reason that fits “Verify”');
    expect(await status(signers[0].id)).toBe('needs_review');

    const decided = await post(cookieA, `/console/review/${signers[0].id}/decision`, {
      petitionId: p.id,
      decision: 'reject',
      reasonCode: 'fraudulent',
      note: 'Same throwaway domain as the others',
    });
    expect(decided.headers.location).toBe(
      `/console/review?petitionId=${p.id}&notice=rejected&last=${signers[0].id}&lang=en`,
    );
    const next = await follow(cookieA, decided);
    expect(next.text).toContain('Rejected.');
    expect(currentName(next.text)).toBe('Boris Reviewov');

    // The JSON API shows the decision, with the moderator as its actor.
    expect(await status(signers[0].id)).toBe('rejected');
    const history = await events(signers[0].id);
    expect(history.at(-1)).toEqual(
      expect.objectContaining({
        from: 'needs_review',
        to: 'rejected',
        actor: 'moderator',
        actorId: moderatorA.id,
        reasonCode: 'fraudulent',
        note: 'Same throwaway domain as the others',
      }),
    );
    // And so does the signature's history page, linked from the queue.
    const historyPage = await get(cookieA, `/console/signatures/${signers[0].id}?lang=en`).expect(
      200,
    );
    expect(historyPage.text).toContain('Moderator: Test moderator');
    expect(historyPage.text).toContain('Fraudulent: part of ballot-stuffing (fraudulent)');
    expect(historyPage.text).toContain('Same throwaway domain as the others');

    const verified = await post(cookieA, `/console/review/${signers[1].id}/decision`, {
      decision: 'verify',
      reasonCode: 'identity_confirmed',
    });
    const empty = await follow(cookieA, verified);
    expect(empty.text).toContain('Verified.');
    expect(empty.text).toContain('You hold no signatures to review.');
    expect(await status(signers[1].id)).toBe('verified');
    expect((await events(signers[1].id)).at(-1)).toEqual(
      expect.objectContaining({ to: 'verified', actorId: moderatorA.id, note: null }),
    );
  });

  it('releases a claim, so another moderator can claim it, and says when another holds it', async () => {
    const p = await petition();
    const [first, second] = await reviewSignatures(t, p, ['Gleb Releasov', 'Dina Releasova']);
    await follow(cookieA, await claim(cookieA, p, '1'));
    const released = await post(cookieA, `/console/review/${first.id}/release`, {
      petitionId: p.id,
    });
    const after = await follow(cookieA, released);
    expect(after.text).toContain('Released to the queue.');
    expect(after.text).toContain('You hold no signatures to review.');

    // Moderator B now gets it; A claiming at the same time gets the other one.
    const pageB = await follow(cookieB, await claim(cookieB, p, '1'));
    expect(currentName(pageB.text)).toBe('Gleb Releasov');
    const pageA = await follow(cookieA, await claim(cookieA, p, '1'));
    expect(currentName(pageA.text)).toBe('Dina Releasova');

    // A deciding or releasing B's signature is told so, and nothing changes.
    const conflict = await post(cookieA, `/console/review/${first.id}/decision`, {
      petitionId: p.id,
      decision: 'verify',
      reasonCode: 'identity_confirmed',
    });
    expect(conflict.headers.location).toContain('notice=claimed_by_other');
    const notice = await follow(cookieA, conflict);
    expect(notice.text).toContain('Another moderator holds a claim on that signature now');
    expect(currentName(notice.text)).toBe('Dina Releasova');
    const stolen = await post(cookieA, `/console/review/${first.id}/release`, {});
    expect(stolen.headers.location).toContain('notice=claimed_by_other');
    expect(await status(first.id)).toBe('needs_review');
    const { rows } = await t.db.query('SELECT claimed_by FROM signatures WHERE id = $1', [
      first.id,
    ]);
    expect(rows[0].claimed_by).toBe(moderatorB.id);

    // Once B has decided it, A is told it is already decided.
    await follow(
      cookieB,
      await post(cookieB, `/console/review/${first.id}/decision`, {
        decision: 'reject',
        reasonCode: 'duplicate',
      }),
    );
    const late = await post(cookieA, `/console/review/${first.id}/decision`, {
      decision: 'verify',
      reasonCode: 'identity_confirmed',
    });
    expect(late.headers.location).toContain('notice=already_decided');
    expect((await follow(cookieA, late)).text).toContain('That signature was already decided');
    expect(await status(first.id)).toBe('rejected');

    // Release all gives back what A still holds.
    const all = await post(cookieA, '/console/review/release-all', { petitionId: p.id });
    expect((await follow(cookieA, all)).text).toContain('Released 1 signature to the queue.');
    const held = await t.db.query(
      'SELECT count(*)::int AS n FROM signatures WHERE id = $1 AND claimed_by IS NOT NULL',
      [second.id],
    );
    expect(held.rows[0].n).toBe(0);
  });

  it('refuses a form without its anti-forgery field and changes nothing', async () => {
    const p = await petition();
    const [signer] = await reviewSignatures(t, p, ['Fiona Forgedova']);
    const before = await events(signer.id);
    const claimed = await t
      .http()
      .post('/console/review/claim')
      .set('cookie', cookieA)
      .type(FORM)
      .send({ petitionId: p.id, limit: '10', lang: 'en' });
    expect(claimed.status).toBe(403);
    expect(claimed.text).toContain('Nothing was changed');
    const decided = await t
      .http()
      .post(`/console/review/${signer.id}/decision`)
      .set('cookie', cookieA)
      .type(FORM)
      .send({ decision: 'reject', reasonCode: 'fraudulent', lang: 'en' });
    expect(decided.status).toBe(403);
    // Another session's token is no better.
    const foreign = await t
      .http()
      .post(`/console/review/${signer.id}/decision`)
      .set('cookie', cookieA)
      .type(FORM)
      .send({
        _csrf: await csrfFor(t, cookieB),
        decision: 'reject',
        reasonCode: 'fraudulent',
      });
    expect(foreign.status).toBe(403);
    expect(await status(signer.id)).toBe('needs_review');
    expect(await events(signer.id)).toEqual(before);
    const { rows } = await t.db.query('SELECT claimed_by FROM signatures WHERE id = $1', [
      signer.id,
    ]);
    expect(rows[0].claimed_by).toBeNull();
  });

  it('speaks Russian on the review page', async () => {
    const p = await petition();
    await reviewSignatures(t, p, ['Nina Russkaya']);
    await claim(cookieA, p, '5');
    const page = await get(cookieA, `/console/review?petitionId=${p.id}&lang=ru`).expect(200);
    expect(page.text).toContain('<html lang="ru">');
    expect(page.text).toContain('Очередь проверки');
    expect(page.text).toContain('Одноразовая почта');
  });

  // ---------------------------------------------------------------- bulk invalidation

  /** The invalidation id in a redirect to its page. */
  const invalidationIn = (location: string): string =>
    /^\/console\/invalidations\/([0-9a-f-]{36})\?/.exec(location)![1];

  it('previews an invalidation with a sample, and above the threshold needs a second moderator', async () => {
    const p = await petition();
    const names = ['Lev Bulkov', 'Mila Bulkova', 'Oleg Bulkov', 'Petr Bulkov', 'Rada Bulkova'];
    const signers = await reviewSignatures(t, p, names);

    // Problems come back with the values kept, worded like the API's rules.
    const bad = await post(cookieA, '/console/invalidations/preview', {
      petitionId: p.id,
      sameSourceAs: 'not-an-id',
      createdFrom: 'yesterday',
      statuses: [],
      reasonCode: '',
      note: 'Bulk throwaway signatures',
    });
    expect(bad.status).toBe(400);
    expect(bad.text).toContain('There is a problem');
    expect(bad.text).toContain('href="#sameSourceAs"');
    expect(bad.text).toContain('Same source as signature must be a signature id');
    expect(bad.text).toContain('Signed at or after must be a date and time');
    expect(bad.text).toContain('Tick at least one status');
    expect(bad.text).toContain('Choose a reason');
    expect(bad.text).toContain('Bulk throwaway signatures');
    // Statuses alone are not enough: the service's own rule.
    const broad = await post(cookieA, '/console/invalidations/preview', {
      petitionId: p.id,
      statuses: ['needs_review'],
      reasonCode: 'fraudulent',
    });
    expect(broad.status).toBe(400);
    expect(broad.text).toContain('Give at least one criterion besides the statuses');

    const previewed = await post(cookieA, '/console/invalidations/preview', {
      petitionId: p.id,
      emailDomain: 'mailinator.com',
      fullNamePattern: '*Bulkov*',
      statuses: ['needs_review', 'verified'],
      reasonCode: 'fraudulent',
      note: 'Bulk throwaway signatures',
    });
    const previewId = invalidationIn(previewed.headers.location);
    const preview = await follow(cookieA, previewed);
    expect(preview.text).toContain('Preview of an invalidation');
    expect(preview.text).toContain('5 signatures match');
    expect(preview.text).toContain('The first 5 matches');
    for (const name of names) expect(preview.text).toContain(name);
    expect(preview.text).toContain(`more than 3, so a second moderator must approve it`);
    expect(preview.text).not.toContain('@mailinator.com');
    // A dry run changes nothing.
    for (const signer of signers) expect(await status(signer.id)).toBe('needs_review');

    const requested = await post(cookieA, `/console/invalidations/${previewId}/request`, {});
    const id = invalidationIn(requested.headers.location);
    expect(id).not.toBe(previewId);
    const awaiting = await follow(cookieA, requested);
    expect(awaiting.text).toContain('Requested.');
    expect(awaiting.text).toContain('Awaiting a second moderator');
    expect(awaiting.text).toContain('another moderator must approve it');
    expect(awaiting.text).not.toContain(`/console/invalidations/${id}/approve`);
    const api = await t
      .http()
      .get(`/v1/moderation/invalidations/${id}`)
      .set(moderatorA.auth)
      .expect(200);
    expect(api.body).toEqual(
      expect.objectContaining({
        status: 'awaiting_approval',
        matched: 5,
        requestedBy: moderatorA.id,
      }),
    );
    // Listed for the other moderator, in the page and the JSON list.
    const list = await get(cookieB, '/console/invalidations?lang=en').expect(200);
    const awaitingSection = /id="awaiting-heading"[\s\S]*?<\/section>/.exec(list.text)![0];
    expect(awaitingSection).toContain(`/console/invalidations/${id}`);
    const json = await t
      .http()
      .get('/v1/moderation/invalidations?status=awaiting_approval')
      .set(moderatorB.auth)
      .expect(200);
    expect(json.body.items.map((i: { id: string }) => i.id)).toContain(id);

    // The requester cannot approve their own.
    const own = await post(cookieA, `/console/invalidations/${id}/approve`, {});
    expect(own.status).toBe(403);
    expect(own.text).toContain('Another moderator must approve this');
    for (const signer of signers) expect(await status(signer.id)).toBe('needs_review');

    // The second moderator sees the matches and the button, approves, and it runs.
    const second = await get(cookieB, `/console/invalidations/${id}?lang=en`).expect(200);
    expect(second.text).toContain(`/console/invalidations/${id}/approve`);
    expect(second.text).toContain('Lev Bulkov');
    const approved = await post(cookieB, `/console/invalidations/${id}/approve`, {});
    expect((await follow(cookieB, approved)).text).toContain('Approved: it is running.');
    await waitFor('the invalidation to complete', async () => {
      const res = await t
        .http()
        .get(`/v1/moderation/invalidations/${id}`)
        .set(moderatorB.auth)
        .expect(200);
      return res.body.status === 'completed' ? res.body : undefined;
    });
    const done = await get(cookieA, `/console/invalidations/${id}?lang=en`).expect(200);
    expect(done.text).toContain('5 of 5 rejected');
    expect(done.text).toContain('Completed');
    expect(done.text).toContain('Test moderator'); // requester and approver, by name
    for (const signer of signers) expect(await status(signer.id)).toBe('rejected');
    const event = (await events(signers[0].id)).at(-1)!;
    expect(event).toEqual(
      expect.objectContaining({ to: 'rejected', reasonCode: 'fraudulent', invalidationId: id }),
    );
    // Done is done: approving or cancelling it again changes nothing and says so.
    const again = await post(cookieB, `/console/invalidations/${id}/cancel`, {});
    expect(again.status).toBe(409);
    expect(again.text).toContain('This can no longer be done');
  });

  it('runs a small invalidation at once, and cancels one awaiting approval', async () => {
    const p = await petition();
    const [one, ...rest] = await reviewSignatures(t, p, [
      'Sava Smallov',
      'Taya Waitova',
      'Uma Waitova',
      'Yana Waitova',
      'Zoya Waitova',
    ]);
    const small = await post(cookieA, '/console/invalidations/preview', {
      petitionId: p.id,
      fullNamePattern: 'Sava*',
      statuses: ['needs_review'],
      reasonCode: 'fake_name',
    });
    expect((await follow(cookieA, small)).text).toContain('It starts as soon as you request it.');
    const running = await post(
      cookieA,
      `/console/invalidations/${invalidationIn(small.headers.location)}/request`,
      {},
    );
    await follow(cookieA, running);
    await waitFor('the small invalidation', async () =>
      (await status(one.id)) === 'rejected' ? true : undefined,
    );

    const large = await post(cookieB, '/console/invalidations/preview', {
      petitionId: p.id,
      fullNamePattern: '*Waitova',
      statuses: ['needs_review'],
      reasonCode: 'fraudulent',
    });
    const requested = await post(
      cookieB,
      `/console/invalidations/${invalidationIn(large.headers.location)}/request`,
      {},
    );
    const id = invalidationIn(requested.headers.location);
    const cancelled = await post(cookieA, `/console/invalidations/${id}/cancel`, {});
    expect((await follow(cookieA, cancelled)).text).toContain('Cancelled.');
    const late = await post(cookieA, `/console/invalidations/${id}/approve`, {});
    expect(late.status).toBe(409);
    for (const signer of rest) expect(await status(signer.id)).toBe('needs_review');
  });

  it('says on the preview when what the moderator changed alone in 24 hours takes it past the threshold', async () => {
    const p = await petition();
    const [first, ...others] = await reviewSignatures(t, p, [
      'Ada Perva',
      'Bela Dvoeva',
      'Vera Dvoeva',
      'Gala Dvoeva',
    ]);
    const one = await post(cookieA, '/console/invalidations/preview', {
      petitionId: p.id,
      fullNamePattern: 'Ada*',
      statuses: ['needs_review'],
      reasonCode: 'fake_name',
    });
    await post(
      cookieA,
      `/console/invalidations/${invalidationIn(one.headers.location)}/request`,
      {},
    );
    await waitFor('the first invalidation', async () =>
      (await status(first.id)) === 'rejected' ? true : undefined,
    );

    // 3 alone is within the threshold of 3; with the 1 already changed it is not.
    const previewed = await post(cookieA, '/console/invalidations/preview', {
      petitionId: p.id,
      fullNamePattern: '*Dvoeva',
      statuses: ['needs_review'],
      reasonCode: 'fraudulent',
    });
    const page = await follow(cookieA, previewed);
    expect(page.text).toContain('3 signatures match');
    expect(page.text).toContain(
      'With the 1 you changed on this petition on your own in the last 24 hours, it passes 3',
    );
    // Another moderator has changed nothing here: for them it would start at once.
    const forB = await post(cookieB, '/console/invalidations/preview', {
      petitionId: p.id,
      fullNamePattern: '*Dvoeva',
      statuses: ['needs_review'],
      reasonCode: 'fraudulent',
    });
    expect((await follow(cookieB, forB)).text).toContain('It starts as soon as you request it.');
    const requested = await post(
      cookieA,
      `/console/invalidations/${invalidationIn(previewed.headers.location)}/request`,
      {},
    );
    expect((await follow(cookieA, requested)).text).toContain('Awaiting a second moderator');
    for (const signer of others) expect(await status(signer.id)).toBe('needs_review');
  });

  // ---------------------------------------------------------------- registers

  const upload = async (cookie: string, registerId: string, csv: string | null) => {
    const req = t
      .http()
      .post(`/console/registers/${registerId}/entries`)
      .set('cookie', cookie)
      .field('_csrf', await csrfFor(t, cookie))
      .field('lang', 'en');
    return csv === null
      ? req
      : req.attach('file', Buffer.from(csv), { filename: 'deputies.csv', contentType: 'text/csv' });
  };

  it('creates a register, uploads a CSV, lists its bad rows by number, and shows the entries', async () => {
    const missing = await post(cookieA, '/console/registers', { name: '   ' });
    expect(missing.status).toBe(400);
    expect(missing.text).toContain('Name is required');
    const created = await post(cookieA, '/console/registers', {
      name: 'Municipal deputies of Sampletown',
      description: 'As published by the electoral commission',
    });
    const registerId = /^\/console\/registers\/([0-9a-f-]{36})\?/.exec(
      created.headers.location,
    )![1];
    const page = await follow(cookieA, created);
    expect(page.text).toContain('The register is created. Upload its entries.');
    expect(page.text).toContain('enctype="multipart/form-data"');

    const none = await upload(cookieA, registerId, null);
    expect(none.status).toBe(400);
    expect(none.text).toContain('Choose a CSV file to upload');
    const unreadable = await upload(cookieA, registerId, 'name,phone\nAnna,123\n');
    expect(unreadable.status).toBe(400);
    expect(unreadable.text).toContain('The file could not be read as a register');
    expect(unreadable.text).toContain('unknown CSV column');

    const csv = [
      'fullName,district,title,email',
      'Irina Sokolova,Semyonovsky,Municipal deputy,irina.sokolova@example.org',
      ',Riverside,Municipal deputy',
      'Pavel Orlov,Semyonovsky,Municipal deputy',
      `Daria Belova,${'x'.repeat(201)},`,
      'Maxim Zaitsev,Riverside,,,extra',
      'Olga Povtorova,Riverside,,IRINA.Sokolova@example.org',
    ].join('\n');
    const res = await upload(cookieA, registerId, csv);
    expect(res.status).toBe(200);
    expect(res.text).toContain('Version 1: 2 entries imported.');
    expect(res.text).toContain('4 rows refused');
    // An entry's email is shown only masked; a second row with it is refused, in words.
    expect(res.text).toContain('i***@example.org');
    expect(res.text).not.toContain('irina.sokolova@');
    expect(res.text).toMatch(
      /data-label="Row">6<\/td><td data-label="Problem">The same email address is on an earlier row/,
    );
    const rows = /id="result-heading"[\s\S]*?<\/section>/.exec(res.text)![0];
    expect(rows).toMatch(/data-label="Row">2<\/td><td data-label="Problem">Full name is required/);
    expect(rows).toMatch(
      /data-label="Row">4<\/td><td data-label="Problem">District must be at most 200 characters/,
    );
    expect(rows).toMatch(
      /data-label="Row">5<\/td><td data-label="Problem">The row has more cells than the header/,
    );
    expect(res.text).toContain('Irina Sokolova');
    const api = await t
      .http()
      .get(`/v1/registers/${registerId}/entries`)
      .set(moderatorA.auth)
      .expect(200);
    expect(api.body.items.map((e: { fullName: string }) => e.fullName)).toEqual([
      'Irina Sokolova',
      'Pavel Orlov',
    ]);

    // Without its anti-forgery field the upload is refused, and the version stays.
    const forged = await t
      .http()
      .post(`/console/registers/${registerId}/entries`)
      .set('cookie', cookieA)
      .attach('file', Buffer.from('fullName\nMallory Forged\n'), {
        filename: 'x.csv',
        contentType: 'text/csv',
      });
    expect(forged.status).toBe(403);

    const list = await get(cookieB, '/console/registers?lang=en').expect(200);
    expect(list.text).toContain('Municipal deputies of Sampletown');
    const json = await t.http().get('/v1/registers').set(moderatorB.auth).expect(200);
    expect(json.body.items).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ id: registerId, version: 1, entryCount: 2 }),
      ]),
    );

    // The entries, a page at a time.
    const many = ['fullName', ...Array.from({ length: 60 }, (_, i) => `Deputy Number ${i + 1}`)];
    expect((await upload(cookieA, registerId, many.join('\n'))).text).toContain(
      'Version 2: 60 entries imported.',
    );
    const first = await get(cookieA, `/console/registers/${registerId}?lang=en`).expect(200);
    expect(first.text).toContain('Deputy Number 50<');
    expect(first.text).not.toContain('Deputy Number 51<');
    const next = /href="([^"]*cursor=[^"]*)"/.exec(first.text)![1].replace(/&amp;/g, '&');
    const second = await get(cookieA, next).expect(200);
    expect(second.text).toContain('Deputy Number 51<');
    expect(second.text).toContain('Deputy Number 60<');
    expect(second.text).not.toContain('Deputy Number 50<');
    expect(second.text).not.toContain('Irina Sokolova');
  });
});
