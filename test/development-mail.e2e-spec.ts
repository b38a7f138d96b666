import { AccountRole } from '../src/accounts/account-role.js';
import { createAccount, openPetition, type PetitionBody } from './support/factories.js';
import { startTestApp, type TestApp } from './support/test-app.js';
import { waitFor } from './support/wait.js';

const BASE = 'http://localhost:3000';
/** The README's command for the last confirm link, as a regular expression (grep -o … | tail -1). */
const README_CONFIRM_LINK = /http[^ "]*\/signatures\/confirm\?token=[A-Za-z0-9_-]*/g;

/** What the process writes to stdout while `run` runs (pino writes to the test's sink instead). */
async function capturingStdout<T>(run: (out: string[]) => Promise<T>): Promise<T> {
  const out: string[] = [];
  const original = process.stdout.write.bind(process.stdout);
  process.stdout.write = ((chunk: string | Uint8Array) => {
    out.push(typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8'));
    return true;
  }) as typeof process.stdout.write;
  try {
    return await run(out);
  } finally {
    process.stdout.write = original;
  }
}

async function signAndSetUp(t: TestApp, email: string): Promise<PetitionBody> {
  const organiser = await createAccount(t, AccountRole.Organiser);
  const moderator = await createAccount(t, AccountRole.Moderator);
  const petition = await openPetition(t, organiser, moderator, {
    title: 'More benches in Example Park',
  });
  await t
    .http()
    .post(`/v1/petitions/${petition.id}/signatures`)
    .send({ fullName: 'Vera Testova', email })
    .expect(202);
  return petition;
}

const mailLogLines = (t: TestApp) =>
  t.logs
    .map((line) => JSON.parse(line) as Record<string, unknown>)
    .filter((entry) => String(entry.msg).startsWith('mail not sent'));

/** Without SMTP_URL, development shows each mail in the terminal; no other mode shows its links. */
describe('mail without SMTP_URL', () => {
  describe('in development', () => {
    let t: TestApp;
    beforeAll(async () => {
      t = await startTestApp({
        env: { NODE_ENV: 'development', PUBLIC_BASE_URL: BASE, SIGN_MIN_RESPONSE_MS: '0' },
        captureLogs: true,
      });
    });
    afterAll(async () => {
      await t.close();
    });

    it('prints the mail as plain lines, each link on its own, and logs its links', async () => {
      const email = 'vera.devmail@example.org';
      const out = await capturingStdout(async (out) => {
        await signAndSetUp(t, email);
        await waitFor('the mail on stdout', async () =>
          out.join('').includes('/signatures/withdraw?token=') ? true : undefined,
        );
        return out.join('');
      });

      const lines = out.split('\n');
      const confirm = lines.find((line) => line.startsWith(`${BASE}/signatures/confirm?token=`));
      const withdraw = lines.find((line) => line.startsWith(`${BASE}/signatures/withdraw?token=`));
      expect(confirm).toMatch(/^http:\/\/localhost:3000\/signatures\/confirm\?token=[\w-]{43}$/);
      expect(withdraw).toBe(confirm!.replace('/confirm?', '/withdraw?'));
      expect(lines).toContain('To: v***@example.org');
      expect(lines).toContain(
        'Subject: Please confirm your signature: More benches in Example Park',
      );
      expect(lines).toContain('Hello,');

      const [logged] = mailLogLines(t);
      expect(logged).toMatchObject({
        level: 30,
        to: 'v***@example.org',
        subject: 'Please confirm your signature: More benches in Example Park',
        links: [confirm, withdraw],
      });

      // Never the address in full, in either.
      expect(out).not.toContain(email);
      expect(t.logs.join('\n')).not.toContain(email);

      // The README's command finds this mail's confirm link, in the log and in the block, and
      // the link confirms.
      const found = `${t.logs.join('\n')}\n${out}`.match(README_CONFIRM_LINK) ?? [];
      expect(found.length).toBeGreaterThanOrEqual(2);
      expect(new Set(found)).toEqual(new Set([confirm]));
      const token = new URL(found.at(-1)!).searchParams.get('token');
      await t.http().post('/v1/signatures/confirm').send({ token }).expect(200);
    });

    it('keeps a petition title’s control characters out of the terminal', async () => {
      const organiser = await createAccount(t, AccountRole.Organiser);
      const moderator = await createAccount(t, AccountRole.Moderator);
      const petition = await openPetition(t, organiser, moderator, {
        title: 'Benches \u001b[2J\u001b]0;owned\u0007 now',
      });
      const out = await capturingStdout(async (out) => {
        await t
          .http()
          .post(`/v1/petitions/${petition.id}/signatures`)
          .send({ fullName: 'Oleg Testov', email: 'oleg.devmail@example.org' })
          .expect(202);
        await waitFor('the mail on stdout', async () =>
          out.join('').includes('/signatures/withdraw?token=') ? true : undefined,
        );
        return out.join('');
      });
      expect(out).toContain('Benches');
      // eslint-disable-next-line no-control-regex
      expect(out).not.toMatch(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/);
    });
  });

  describe('in any other mode', () => {
    let t: TestApp;
    beforeAll(async () => {
      t = await startTestApp({
        env: { NODE_ENV: 'test', PUBLIC_BASE_URL: BASE, SIGN_MIN_RESPONSE_MS: '0' },
        captureLogs: true,
      });
    });
    afterAll(async () => {
      await t.close();
    });

    it('logs only that a mail was not sent, with the recipient masked: no link, no token', async () => {
      const email = 'nina.devmail@example.org';
      const out = await capturingStdout(async (out) => {
        await signAndSetUp(t, email);
        await waitFor('the mail log line', async () => mailLogLines(t)[0]);
        return out.join('');
      });
      const [logged] = mailLogLines(t);
      expect(logged).toMatchObject({ to: 'n***@example.org', subject: expect.any(String) });
      expect(logged).not.toHaveProperty('links');
      expect(logged).not.toHaveProperty('text');
      const everything = `${t.logs.join('\n')}\n${out}`;
      expect(everything).not.toContain('token=');
      expect(everything).not.toContain(email);
      expect(out).toBe('');
    });
  });
});
