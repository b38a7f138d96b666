import { MailLanguage } from '../petitions/petition-status.js';
import { isPermanentMailFailure, linksIn, maskAddress, unsentMailBlock } from './mailer.service.js';
import { signerMail } from './signer-mail.templates.js';

describe('isPermanentMailFailure', () => {
  it('is true for a 5xx SMTP answer', () => {
    expect(
      isPermanentMailFailure(Object.assign(new Error('rejected'), { responseCode: 550 })),
    ).toBe(true);
    expect(isPermanentMailFailure({ responseCode: 554 })).toBe(true);
  });

  it('is false for a 503 (the state of a reused connection) and for a failed login', () => {
    expect(isPermanentMailFailure({ responseCode: 503 })).toBe(false);
    expect(isPermanentMailFailure({ responseCode: 535, code: 'EAUTH' })).toBe(false);
    expect(isPermanentMailFailure({ responseCode: 550, code: 'EENVELOPE' })).toBe(true);
  });

  it('is false for a 4xx answer or no answer code', () => {
    expect(isPermanentMailFailure({ responseCode: 451 })).toBe(false);
    expect(isPermanentMailFailure(new Error('connection reset'))).toBe(false);
    expect(isPermanentMailFailure({ responseCode: '550' })).toBe(false);
  });
});

describe('maskAddress', () => {
  it('keeps the first letter and the domain', () => {
    expect(maskAddress('anna@example.org')).toBe('a***@example.org');
    expect(maskAddress('b@example.org')).toBe('b***@example.org');
  });
});

describe('the unsent mail, as development shows it', () => {
  const confirmUrl = 'http://localhost:3000/signatures/confirm?token=abc_DEF-123';
  const withdrawUrl = 'http://localhost:3000/signatures/withdraw?token=abc_DEF-123';
  const mail = {
    to: 'anna.testova@example.org',
    ...signerMail(MailLanguage.En, {
      petitionTitle: 'More benches',
      confirm: true,
      confirmUrl,
      withdrawUrl,
      expiresAt: new Date('2030-05-06T00:00:00Z'),
    }),
  };

  it('finds the links of a signer mail, in order', () => {
    expect(linksIn(mail.text)).toEqual([confirmUrl, withdrawUrl]);
    expect(linksIn('no links\nsee https://example.org/a b')).toEqual([]);
  });

  it('is plain lines: the recipient masked, the subject, and each link alone on its line', () => {
    const lines = unsentMailBlock(mail).split('\n');
    expect(lines.slice(0, 4)).toEqual([
      '----- mail not sent (SMTP_URL is not set) -----',
      'To: a***@example.org',
      'Subject: Please confirm your signature: More benches',
      '',
    ]);
    expect(lines).toContain(confirmUrl);
    expect(lines).toContain(withdrawUrl);
    expect(lines.slice(-2)).toEqual(['----- end of mail -----', '']);
    expect(lines.join('\n')).not.toContain('anna.testova');
  });

  it('turns control characters into U+FFFD, keeping lines', () => {
    const block = unsentMailBlock({
      to: 'a@example.org',
      subject: 'A\u001b[2Jb',
      text: 'x\r\ny\u0007',
    });
    expect(block).toContain('Subject: A\ufffd[2Jb');
    expect(block).toContain('x\ufffd\ny\ufffd');
  });
});
