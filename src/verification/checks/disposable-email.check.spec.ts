import { type CheckSubject, CheckOutcome } from '../check.js';
import { Eligibility } from '../../petitions/petition-status.js';
import { DisposableEmailCheck, isDisposableDomain } from './disposable-email.check.js';

const subject = (emailDomain: string | null): CheckSubject => ({
  id: 'sig-1',
  petitionId: 'pet-1',
  emailIndex: null,
  origin: 'public',
  fullName: 'Anna Testova',
  nameKey: 'anna testova',
  district: null,
  title: null,
  emailDomain,
  sourceIndex: null,
  sourceGlobalEncrypted: null,
  createdAt: new Date('2025-01-01T00:00:00Z'),
  petition: { registerId: null, eligibility: Eligibility.Review },
});

describe('isDisposableDomain', () => {
  it('knows a throwaway provider and its subdomains', () => {
    expect(isDisposableDomain('mailinator.com')).toBe(true);
    expect(isDisposableDomain('sub.mailinator.com')).toBe(true);
    expect(isDisposableDomain('a.b.mailinator.com')).toBe(true);
  });

  it('ignores case', () => {
    expect(isDisposableDomain('MAILINATOR.COM')).toBe(true);
    expect(isDisposableDomain('Sub.Mailinator.Com')).toBe(true);
  });

  it('lets ordinary domains through, including a bare top-level domain', () => {
    expect(isDisposableDomain('example.org')).toBe(false);
    expect(isDisposableDomain('gmail.com')).toBe(false);
    expect(isDisposableDomain('mailinator.com.example.org')).toBe(false);
    expect(isDisposableDomain('com')).toBe(false);
  });
});

describe('DisposableEmailCheck', () => {
  const check = new DisposableEmailCheck();

  it('passes a signature without an email address', async () => {
    await expect(check.run([subject(null)])).resolves.toMatchObject([
      {
        outcome: CheckOutcome.Pass,
        risk: 0,
      },
    ]);
  });

  it('sends a throwaway domain to review without naming the address', async () => {
    const [result] = await check.run([subject('mailinator.com')]);
    expect(result.outcome).toBe(CheckOutcome.Review);
    expect(result.risk).toBeGreaterThan(0);
    expect(result.reasonCode).toBeUndefined();
  });

  it('passes an ordinary domain', async () => {
    await expect(check.run([subject('example.org')])).resolves.toMatchObject([
      { outcome: CheckOutcome.Pass },
    ]);
  });
});
