import { randomBytes } from 'node:crypto';
import { AccountRole } from '../src/accounts/account-role.js';
import {
  createAccount,
  openPetition,
  type PetitionBody,
  type TestAccount,
} from './support/factories.js';
import { startTestApp, type TestApp } from './support/test-app.js';
import { waitFor } from './support/wait.js';

interface CheckEntry {
  name: string;
  outcome: string;
  detail: string;
  risk: number;
  reasonCode?: string;
}

interface Decided {
  id: string;
  status: string;
  reason_code: string | null;
  checks: CheckEntry[];
}

interface Block {
  id: string;
  kind: string;
  value: string;
  petitionId: string | null;
  action: string;
  reasonCode: string;
  note: string | null;
  expiresAt: string | null;
  status: string;
  createdBy: string;
  createdAt: string;
  removedBy: string | null;
  removedAt: string | null;
}

/** Moderators' blocks, end to end: made over the API, applied by the workers' checks. */
describe('blocks', () => {
  let t: TestApp;
  let organiser: TestAccount;
  let moderator: TestAccount;
  let other: TestAccount;

  beforeAll(async () => {
    t = await startTestApp({
      env: {
        TRUST_PROXY: 'true',
        SOURCE_BURST_LIMIT: '100000',
        SIGN_MIN_RESPONSE_MS: '0',
        // Limits that arrive with the rate-limit work must not get in the way here.
        RATE_LIMIT_SIGN: '100000/600',
        RATE_LIMIT_SIGN_ALL: '100000/3600',
      },
    });
    organiser = await createAccount(t, AccountRole.Organiser);
    moderator = await createAccount(t, AccountRole.Moderator);
    other = await createAccount(t, AccountRole.Moderator);
  });
  afterAll(async () => {
    await t.close();
  });

  /** An open petition whose signatures go straight to the checks. */
  const open = (): Promise<PetitionBody> =>
    openPetition(t, organiser, moderator, { requireEmailConfirmation: false });

  /** Letters only: digits in a name would send it to review (implausible_name). */
  const tag = () =>
    [...randomBytes(6)].map((byte) => String.fromCharCode(97 + (byte % 26))).join('');

  const sign = (petition: PetitionBody, email: string, ip = '198.51.100.7') =>
    t
      .http()
      .post(`/v1/petitions/${petition.id}/signatures`)
      .set('x-forwarded-for', ip)
      .send({ fullName: `Anna Signer ${tag()}`, email });

  /** The signature of this email on the petition, once its checks have decided it. */
  const decided = (petition: PetitionBody, email: string): Promise<Decided> =>
    waitFor(`the decision on ${email}`, async () => {
      const domain = email.split('@')[1];
      const { rows } = await t.db.query<Decided>(
        `SELECT id, status, reason_code, checks FROM signatures
          WHERE petition_id = $1 AND email_domain = $2
          ORDER BY created_at DESC LIMIT 1`,
        [petition.id, domain],
      );
      const row = rows[0];
      return row && !['pending', 'unconfirmed'].includes(row.status) ? row : undefined;
    });

  const blockCheck = (row: Decided): CheckEntry => {
    expect(row.checks[0].name).toBe('block');
    return row.checks[0];
  };

  const addBlock = async (body: Record<string, unknown>, who = moderator): Promise<Block> => {
    const res = await t.http().post('/v1/moderation/blocks').set(who.auth).send(body).expect(201);
    return res.body as Block;
  };

  it('rejects a blocked domain’s signatures with the block’s reason, and says which block', async () => {
    const petition = await open();
    const domain = `spam-${tag()}.example`;
    const block = await addBlock({
      kind: 'email_domain',
      value: domain.toUpperCase(),
      action: 'reject',
    });
    expect(block).toMatchObject({
      kind: 'email_domain',
      value: domain,
      petitionId: null,
      action: 'reject',
      reasonCode: 'fraudulent',
      status: 'active',
      createdBy: moderator.id,
      removedBy: null,
      expiresAt: null,
    });

    await sign(petition, `one@${domain}`).expect(202);
    const rejected = await decided(petition, `one@${domain}`);
    expect(rejected).toMatchObject({ status: 'rejected', reason_code: 'fraudulent' });
    const check = blockCheck(rejected);
    expect(check).toMatchObject({ outcome: 'fail', reasonCode: 'fraudulent' });
    expect(check.detail).toContain(block.id);
    expect(check.detail).toContain(domain);
    expect(check.detail).not.toContain('198.51.100.7');

    const clean = `clean-${tag()}.example`;
    await sign(petition, `two@${clean}`).expect(202);
    const verified = await decided(petition, `two@${clean}`);
    expect(verified.status).toBe('verified');
    expect(blockCheck(verified)).toMatchObject({ outcome: 'pass', risk: 0 });

    // The signer's own lookup would read this reason: the one the moderator chose.
    const { rows } = await t.db.query(
      `SELECT to_status, actor_type, reason_code FROM signature_events
        WHERE signature_id = $1 AND from_status = 'pending'`,
      [rejected.id],
    );
    expect(rows).toEqual([
      { to_status: 'rejected', actor_type: 'system', reason_code: 'fraudulent' },
    ]);
  });

  it('sends a review block’s signatures to a moderator, and a reject block’s reason wins over it', async () => {
    const petition = await open();
    const domain = `doubt-${tag()}.example`;
    const review = await addBlock({
      kind: 'email_domain',
      value: domain,
      action: 'review',
      note: 'Seen on a forum',
    });
    await sign(petition, `a@${domain}`).expect(202);
    const inReview = await decided(petition, `a@${domain}`);
    expect(inReview.status).toBe('needs_review');
    const check = blockCheck(inReview);
    expect(check.outcome).toBe('review');
    expect(check.risk).toBeGreaterThan(0);
    expect(check.detail).toContain(review.id);

    const reject = await addBlock({
      kind: 'email_domain',
      value: domain,
      petitionId: petition.id,
      action: 'reject',
      reasonCode: 'duplicate',
    });
    await sign(petition, `b@${domain}`).expect(202);
    const rejected = await decided(petition, `b@${domain}`);
    expect(rejected).toMatchObject({ status: 'rejected', reason_code: 'duplicate' });
    expect(blockCheck(rejected).detail).toContain(reject.id);
    expect(blockCheck(rejected).detail).toContain('1 more block also match');
  });

  it('covers every subdomain with *. but not the bare domain', async () => {
    const petition = await open();
    const base = `corp-${tag()}.example`;
    const block = await addBlock({ kind: 'email_domain', value: `*.${base}.`, action: 'reject' });
    expect(block.value).toBe(`*.${base}`);
    await sign(petition, `x@mail.${base}`, '198.51.100.1').expect(202);
    await sign(petition, `y@deep.mail.${base}`, '198.51.100.2').expect(202);
    await sign(petition, `z@${base}`, '198.51.100.3').expect(202);
    expect((await decided(petition, `x@mail.${base}`)).status).toBe('rejected');
    expect((await decided(petition, `y@deep.mail.${base}`)).status).toBe('rejected');
    const bare = await decided(petition, `z@${base}`);
    expect(bare.status).toBe('verified');
  });

  it('holds for one petition only when it names one, for every petition otherwise', async () => {
    const [mine, elsewhere] = [await open(), await open()];
    const scoped = `scoped-${tag()}.example`;
    const global = `global-${tag()}.example`;
    await addBlock({ kind: 'email_domain', value: scoped, petitionId: mine.id, action: 'reject' });
    await addBlock({ kind: 'email_domain', value: global, action: 'reject' });
    for (const petition of [mine, elsewhere]) {
      await sign(petition, `s@${scoped}`).expect(202);
      await sign(petition, `g@${global}`).expect(202);
    }
    expect((await decided(mine, `s@${scoped}`)).status).toBe('rejected');
    expect((await decided(elsewhere, `s@${scoped}`)).status).toBe('verified');
    expect((await decided(mine, `g@${global}`)).status).toBe('rejected');
    expect((await decided(elsewhere, `g@${global}`)).status).toBe('rejected');
  });

  it('no longer applies once it has expired', async () => {
    const petition = await open();
    const domain = `brief-${tag()}.example`;
    const expiresAt = new Date(Date.now() + 1_500).toISOString();
    const block = await addBlock({
      kind: 'email_domain',
      value: domain,
      action: 'reject',
      expiresAt,
    });
    expect(block).toMatchObject({ status: 'active', expiresAt });
    await waitFor('the block to expire', async () => {
      const res = await t.http().get(`/v1/moderation/blocks/${block.id}`).set(moderator.auth);
      return res.body.status === 'expired' ? true : undefined;
    });
    await sign(petition, `late@${domain}`).expect(202);
    expect((await decided(petition, `late@${domain}`)).status).toBe('verified');

    const active = await t.http().get('/v1/moderation/blocks?limit=100').set(moderator.auth);
    expect((active.body.items as Block[]).map((b) => b.id)).not.toContain(block.id);
    const expired = await t.http().get('/v1/moderation/blocks?status=expired').set(moderator.auth);
    expect((expired.body.items as Block[]).map((b) => b.id)).toContain(block.id);
  });

  it('gives a blocked sender the very same answer as anyone else', async () => {
    const petition = await open();
    const domain = `quiet-${tag()}.example`;
    await addBlock({ kind: 'email_domain', value: domain, action: 'reject' });
    const blocked = await sign(petition, `hidden@${domain}`, '198.51.100.20');
    const unblocked = await sign(petition, `open@other-${tag()}.example`, '198.51.100.21');
    expect(blocked.status).toBe(202);
    expect(unblocked.status).toBe(202);
    expect(blocked.text).toBe(unblocked.text);
    expect(blocked.body).toEqual({ status: 'received' });
    const headers = (res: typeof blocked) =>
      Object.keys(res.headers)
        .filter((name) => !['date', 'x-request-id', 'content-length'].includes(name))
        .sort()
        .map((name) => [name, res.headers[name]]);
    expect(headers(blocked)).toEqual(headers(unblocked));
    expect(blocked.headers['content-length']).toBe(unblocked.headers['content-length']);
    expect((await decided(petition, `hidden@${domain}`)).status).toBe('rejected');
  });

  it('blocks a source named by one of its signatures, showing the signature, never the IP', async () => {
    const petition = await open();
    const ip = '203.0.113.45';
    const firstDomain = `first-${tag()}.example`;
    await sign(petition, `first@${firstDomain}`, ip).expect(202);
    const first = await decided(petition, `first@${firstDomain}`);
    expect(first.status).toBe('verified');

    const block = await addBlock({
      kind: 'source',
      value: first.id.toUpperCase(),
      action: 'reject',
    });
    expect(block).toMatchObject({ kind: 'source', value: first.id, action: 'reject' });
    expect(JSON.stringify(block)).not.toContain(ip);
    const { rows } = await t.db.query(`SELECT * FROM blocks WHERE id = $1`, [block.id]);
    expect(JSON.stringify(rows[0])).not.toContain(ip);
    expect(Buffer.isBuffer(rows[0].source_index)).toBe(true);

    const sameDomain = `same-${tag()}.example`;
    const otherDomain = `other-${tag()}.example`;
    await sign(petition, `again@${sameDomain}`, ip).expect(202);
    await sign(petition, `else@${otherDomain}`, '203.0.113.46').expect(202);
    const again = await decided(petition, `again@${sameDomain}`);
    expect(again).toMatchObject({ status: 'rejected', reason_code: 'fraudulent' });
    expect(blockCheck(again).detail).toContain(`the source of signature ${first.id}`);
    expect(blockCheck(again).detail).not.toContain(ip);
    expect((await decided(petition, `else@${otherDomain}`)).status).toBe('verified');
  });

  it('refuses a source it cannot know: an imported signature (400), or none (404)', async () => {
    const petition = await open();
    await t
      .http()
      .post(`/v1/petitions/${petition.id}/signatures/import`)
      .set(organiser.auth)
      .send({ signatures: [{ fullName: 'Paper Signer' }] })
      .expect(202);
    const { rows } = await t.db.query<{ id: string }>(
      `SELECT id FROM signatures WHERE petition_id = $1 AND origin = 'import'`,
      [petition.id],
    );
    const imported = await t
      .http()
      .post('/v1/moderation/blocks')
      .set(moderator.auth)
      .send({ kind: 'source', value: rows[0].id, action: 'reject' })
      .expect(400);
    expect(imported.body).toMatchObject({ code: 'validation_failed' });
    expect(imported.body.message).toMatch(/no recorded source/);
    expect(imported.body.details).toEqual([
      { field: 'value', message: expect.stringMatching(/imported/) },
    ]);

    const missing = await t
      .http()
      .post('/v1/moderation/blocks')
      .set(moderator.auth)
      .send({ kind: 'source', value: '00000000-0000-4000-8000-000000000000', action: 'reject' })
      .expect(404);
    expect(missing.body).toMatchObject({ code: 'not_found', message: 'Signature not found' });

    const notAnId = await t
      .http()
      .post('/v1/moderation/blocks')
      .set(moderator.auth)
      .send({ kind: 'source', value: '198.51.100.7', action: 'reject' })
      .expect(400);
    expect(notAnId.body.details[0].field).toBe('value');
  });

  it('records who removed a block and when, keeps it, and stops applying it', async () => {
    const petition = await open();
    const domain = `lifted-${tag()}.example`;
    const block = await addBlock({ kind: 'email_domain', value: domain, action: 'reject' });
    const removed = await t
      .http()
      .delete(`/v1/moderation/blocks/${block.id}`)
      .set(other.auth)
      .expect(200);
    expect(removed.body).toMatchObject({
      id: block.id,
      status: 'removed',
      createdBy: moderator.id,
      removedBy: other.id,
    });
    expect(Date.parse(removed.body.removedAt)).toBeGreaterThanOrEqual(Date.parse(block.createdAt));

    // Again: nothing changes, and the answer still names the first remover.
    const again = await t
      .http()
      .delete(`/v1/moderation/blocks/${block.id}`)
      .set(moderator.auth)
      .expect(200);
    expect(again.body).toEqual(removed.body);

    await sign(petition, `free@${domain}`).expect(202);
    expect((await decided(petition, `free@${domain}`)).status).toBe('verified');

    const active = await t.http().get('/v1/moderation/blocks?limit=100').set(moderator.auth);
    expect((active.body.items as Block[]).every((b) => b.status === 'active')).toBe(true);
    expect((active.body.items as Block[]).map((b) => b.id)).not.toContain(block.id);
    const removedList = await t
      .http()
      .get('/v1/moderation/blocks?status=removed')
      .set(moderator.auth)
      .expect(200);
    expect(removedList.body.items).toEqual([removed.body]);
    const all = await t
      .http()
      .get('/v1/moderation/blocks?status=all&limit=100')
      .set(moderator.auth);
    expect((all.body.items as Block[]).map((b) => b.id)).toContain(block.id);
  });

  it('pages through the blocks, newest first, and filters by petition', async () => {
    const petition = await open();
    const made: Block[] = [];
    for (let i = 0; i < 3; i++) {
      made.push(
        await addBlock({
          kind: 'email_domain',
          value: `page${i}-${tag()}.example`,
          petitionId: petition.id,
          action: 'review',
        }),
      );
    }
    const first = await t
      .http()
      .get(`/v1/moderation/blocks?petitionId=${petition.id}&limit=2`)
      .set(moderator.auth)
      .expect(200);
    expect((first.body.items as Block[]).map((b) => b.id)).toEqual([made[2].id, made[1].id]);
    expect(first.body.nextCursor).toEqual(expect.any(String));
    const second = await t
      .http()
      .get(
        `/v1/moderation/blocks?petitionId=${petition.id}&limit=2&cursor=${first.body.nextCursor}`,
      )
      .set(moderator.auth)
      .expect(200);
    expect((second.body.items as Block[]).map((b) => b.id)).toEqual([made[0].id]);
    expect(second.body.nextCursor).toBeNull();
  });

  it('refuses bad input with a clear 400 naming the field', async () => {
    const cases: Array<[Record<string, unknown>, string]> = [
      [{ kind: 'ip', value: 'example.org', action: 'reject' }, 'kind'],
      [{ kind: 'email_domain', value: 'not a domain', action: 'reject' }, 'value'],
      [{ kind: 'email_domain', value: 'a.*.example.org', action: 'reject' }, 'value'],
      [{ kind: 'email_domain', value: '', action: 'reject' }, 'value'],
      [{ kind: 'email_domain', value: 'example.org', action: 'delete' }, 'action'],
      [
        {
          kind: 'email_domain',
          value: 'example.org',
          action: 'reject',
          reasonCode: 'signer_request',
        },
        'reasonCode',
      ],
      [
        { kind: 'email_domain', value: 'example.org', action: 'reject', reasonCode: 'namesake' },
        'reasonCode',
      ],
      [
        {
          kind: 'email_domain',
          value: 'example.org',
          action: 'reject',
          expiresAt: '2020-01-01T00:00:00Z',
        },
        'expiresAt',
      ],
      [
        { kind: 'email_domain', value: 'example.org', action: 'reject', expiresAt: 'tomorrow' },
        'expiresAt',
      ],
      [
        { kind: 'email_domain', value: 'example.org', action: 'reject', petitionId: 'x' },
        'petitionId',
      ],
      [{ kind: 'email_domain', value: 'example.org', action: 'reject', ip: '1.2.3.4' }, 'ip'],
      [{ kind: 'email_domain', value: 'example.org' }, 'action'],
    ];
    for (const [body, field] of cases) {
      const res = await t.http().post('/v1/moderation/blocks').set(moderator.auth).send(body);
      expect({ body, status: res.status, code: res.body.code }).toEqual({
        body,
        status: 400,
        code: 'validation_failed',
      });
      expect({
        body,
        fields: (res.body.details as Array<{ field: string }>).map((d) => d.field),
      }).toEqual({
        body,
        fields: [field],
      });
    }
    const pastMessage = await t.http().post('/v1/moderation/blocks').set(moderator.auth).send({
      kind: 'email_domain',
      value: 'example.org',
      action: 'reject',
      expiresAt: '2020-01-01T00:00:00Z',
    });
    expect(pastMessage.body.details[0].message).toBe('expiresAt must be in the future');

    await t
      .http()
      .post('/v1/moderation/blocks')
      .set(moderator.auth)
      .send({
        kind: 'email_domain',
        value: 'example.org',
        action: 'reject',
        petitionId: '00000000-0000-4000-8000-000000000000',
      })
      .expect(404);
    await t.http().get('/v1/moderation/blocks?status=gone').set(moderator.auth).expect(400);
    await t.http().get('/v1/moderation/blocks?cursor=nope').set(moderator.auth).expect(400);
    await t.http().delete('/v1/moderation/blocks/not-an-id').set(moderator.auth).expect(404);
    await t
      .http()
      .delete('/v1/moderation/blocks/00000000-0000-4000-8000-000000000000')
      .set(moderator.auth)
      .expect(404);
    // Nothing was stored by any of them.
    const { rows } = await t.db.query(
      `SELECT count(*)::int AS n FROM blocks WHERE value = 'example.org'`,
    );
    expect(rows[0].n).toBe(0);
  });

  it('is for moderators and admins only', async () => {
    const body = { kind: 'email_domain', value: `roles-${tag()}.example`, action: 'reject' };
    await t.http().post('/v1/moderation/blocks').send(body).expect(401);
    await t.http().post('/v1/moderation/blocks').set(organiser.auth).send(body).expect(403);
    await t.http().get('/v1/moderation/blocks').set(organiser.auth).expect(403);
    const made = await addBlock(body);
    await t.http().delete(`/v1/moderation/blocks/${made.id}`).set(organiser.auth).expect(403);
    await t.http().get(`/v1/moderation/blocks/${made.id}`).set(organiser.auth).expect(403);
    const admin = await createAccount(t, AccountRole.Admin);
    await t.http().get(`/v1/moderation/blocks/${made.id}`).set(admin.auth).expect(200);
  });
});
