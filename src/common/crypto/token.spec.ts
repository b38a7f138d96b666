import { generateToken, hashesEqual, hashToken } from './token.js';

describe('tokens', () => {
  it('are 32 random bytes, url-safe, never repeated', () => {
    const tokens = new Set(Array.from({ length: 1000 }, generateToken));
    expect(tokens.size).toBe(1000);
    for (const token of [...tokens].slice(0, 20)) {
      expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/);
      expect(Buffer.from(token, 'base64url')).toHaveLength(32);
    }
  });

  it('hash to a stable SHA-256 that does not contain the token', () => {
    const token = generateToken();
    const hash = hashToken(token);
    expect(hash).toHaveLength(32);
    expect(hashToken(token)).toEqual(hash);
    expect(hash.toString('base64url')).not.toContain(token);
    expect(hashToken(`${token}x`)).not.toEqual(hash);
  });

  it('compare equal only when equal, whatever the lengths', () => {
    const hash = hashToken('a');
    expect(hashesEqual(hash, hashToken('a'))).toBe(true);
    expect(hashesEqual(hash, hashToken('b'))).toBe(false);
    expect(hashesEqual(hash, hash.subarray(0, 16))).toBe(false);
  });
});
