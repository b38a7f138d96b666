import { maskEmail } from './register-contact.js';

describe('maskEmail', () => {
  it('keeps only the first letter and the domain', () => {
    expect(maskEmail('kira.primerova@example.org')).toBe('k***@example.org');
    expect(maskEmail('a@example.org')).toBe('a***@example.org');
  });

  it('shows nothing of what is not an address', () => {
    expect(maskEmail('nobody')).toBe('***');
    expect(maskEmail('@example.org')).toBe('***');
  });
});
