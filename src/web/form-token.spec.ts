import type { AppConfig } from '../config/app-config.js';
import { FORM_TOKEN_TTL_SECONDS, FormTokens } from './form-token.js';

const config = { dataEncryptionKey: Buffer.alloc(32, 7) } as AppConfig;

describe('FormTokens', () => {
  const tokens = new FormTokens(config);
  const now = Date.UTC(2026, 11, 1);

  it('accepts its own token for the same purpose and source', () => {
    const token = tokens.issue('sign:p1', '192.0.2.1', now);
    expect(tokens.check(token, 'sign:p1', '192.0.2.1', now + 60_000)).toBe('ok');
  });

  it('accepts it from another address of the same IPv6 /64', () => {
    const token = tokens.issue('sign:p1', '2001:db8:1:2::10', now);
    expect(tokens.check(token, 'sign:p1', '2001:db8:1:2::99', now)).toBe('ok');
  });

  it('refuses it for another petition, another source, or a changed MAC', () => {
    const token = tokens.issue('sign:p1', '192.0.2.1', now);
    expect(tokens.check(token, 'sign:p2', '192.0.2.1', now)).toBe('invalid');
    expect(tokens.check(token, 'sign:p1', '192.0.2.2', now)).toBe('invalid');
    const forged = token.slice(0, -2) + (token.endsWith('AA') ? 'BB' : 'AA');
    expect(tokens.check(forged, 'sign:p1', '192.0.2.1', now)).toBe('invalid');
    expect(tokens.check('garbage', 'sign:p1', '192.0.2.1', now)).toBe('invalid');
  });

  it('says a missing token is missing', () => {
    expect(tokens.check(undefined, 'sign:p1', '192.0.2.1', now)).toBe('missing');
    expect(tokens.check('', 'sign:p1', '192.0.2.1', now)).toBe('missing');
    expect(tokens.check(['a', 'b'], 'sign:p1', '192.0.2.1', now)).toBe('missing');
  });

  it('expires', () => {
    const token = tokens.issue('sign:p1', '192.0.2.1', now);
    const later = now + (FORM_TOKEN_TTL_SECONDS + 1) * 1000;
    expect(tokens.check(token, 'sign:p1', '192.0.2.1', later)).toBe('expired');
  });

  it('is not valid under another key', () => {
    const other = new FormTokens({ dataEncryptionKey: Buffer.alloc(32, 8) } as AppConfig);
    expect(
      other.check(tokens.issue('sign:p1', '192.0.2.1', now), 'sign:p1', '192.0.2.1', now),
    ).toBe('invalid');
  });
});
