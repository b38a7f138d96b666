import { isPermanentMailFailure, maskAddress } from './mailer.service.js';

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
