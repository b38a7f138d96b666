import { loadConfig } from '../../config/app-config.js';
import { parseTrustProxy } from './trust-proxy.js';

describe('parseTrustProxy', () => {
  it('is off unless set, and takes true and false', () => {
    expect(parseTrustProxy(undefined)).toBe(false);
    expect(parseTrustProxy('false')).toBe(false);
    expect(parseTrustProxy('TRUE')).toBe(true);
  });

  it('takes proxy-addr keywords, addresses and CIDRs, as Fastify does', () => {
    expect(parseTrustProxy('loopback')).toBe('loopback');
    expect(parseTrustProxy('Loopback, 10.0.0.0/8, 2001:db8::/32, 192.0.2.1')).toBe(
      'loopback,10.0.0.0/8,2001:db8::/32,192.0.2.1',
    );
    expect(parseTrustProxy('linklocal,uniquelocal,10.0.0.0/255.0.0.0')).toBe(
      'linklocal,uniquelocal,10.0.0.0/255.0.0.0',
    );
  });

  it('refuses what proxy-addr would not understand, naming it', () => {
    for (const bad of ['1', 'localhost', '10.0.0.0/33', '2001:db8::/129', '10.0.0.1/8/8', '']) {
      const parsed = parseTrustProxy(bad);
      expect(parsed).toEqual({ error: expect.stringContaining('TRUST_PROXY') });
    }
    expect(parseTrustProxy('loopback, proxy.local')).toEqual({
      error: expect.stringContaining('"proxy.local"'),
    });
  });
});

describe('the rate limit settings', () => {
  const helpers = {
    hashToken: (token: string) => Buffer.from(token),
    developmentKey: () => Buffer.alloc(32, 7),
  };

  it('have the contract defaults', () => {
    expect(loadConfig({}, helpers)).toMatchObject({
      rateLimitSign: { points: 60, seconds: 600 },
      rateLimitSignAll: { points: 600, seconds: 3600 },
      rateLimitSignerToken: { points: 30, seconds: 60 },
      rateLimitSignIn: { points: 5, seconds: 900 },
      mailLimitPerAddress: { points: 5, seconds: 86400 },
      trustProxy: false,
    });
  });

  it('take N/SECONDS, 0/… turning one off, and TRUST_PROXY=loopback', () => {
    const config = loadConfig(
      { RATE_LIMIT_SIGN: '0/600', MAIL_LIMIT_PER_ADDRESS: '2/2', TRUST_PROXY: 'loopback' },
      helpers,
    );
    expect(config.rateLimitSign.points).toBe(0);
    expect(config.mailLimitPerAddress).toEqual({ points: 2, seconds: 2 });
    expect(config.trustProxy).toBe('loopback');
  });

  it('name each bad one when the boot fails', () => {
    const boot = () =>
      loadConfig(
        { RATE_LIMIT_SIGN_ALL: '600', RATE_LIMIT_SIGNER_TOKEN: '30/0', TRUST_PROXY: 'nginx' },
        helpers,
      );
    expect(boot).toThrow(/RATE_LIMIT_SIGN_ALL must be written N\/SECONDS/);
    expect(boot).toThrow(/RATE_LIMIT_SIGNER_TOKEN must be written N\/SECONDS/);
    expect(boot).toThrow(/TRUST_PROXY must be .*"nginx"/);
  });
});
