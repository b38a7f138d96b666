import { hashToken } from '../crypto/token.js';
import { isLoopback, metricsAccess } from './metrics-access.js';

const TOKEN = 'a-metrics-token-of-enough-length';

describe('metricsAccess', () => {
  it('without a token, lets in only loopback callers that did not come through a proxy', () => {
    expect(metricsAccess({}, '127.0.0.1', null)).toBe('allowed');
    expect(metricsAccess({}, '::1', null)).toBe('allowed');
    expect(metricsAccess({}, '::ffff:127.0.0.1', null)).toBe('allowed');
    expect(metricsAccess({}, '10.0.0.7', null)).toBe('forbidden');
    expect(metricsAccess({}, '::ffff:192.0.2.1', null)).toBe('forbidden');
    expect(metricsAccess({}, undefined, null)).toBe('forbidden');
    expect(metricsAccess({ 'x-forwarded-for': '127.0.0.1' }, '127.0.0.1', null)).toBe('forbidden');
    expect(metricsAccess({ forwarded: 'for=127.0.0.1' }, '127.0.0.1', null)).toBe('forbidden');
  });

  it('with a token, lets in only its bearer, from anywhere', () => {
    const hash = hashToken(TOKEN);
    const auth = (authorization?: string) => (authorization ? { authorization } : {});
    expect(metricsAccess(auth(`Bearer ${TOKEN}`), '203.0.113.9', hash)).toBe('allowed');
    expect(metricsAccess(auth(`Bearer ${TOKEN}`), '127.0.0.1', hash)).toBe('allowed');
    expect(metricsAccess(auth(), '127.0.0.1', hash)).toBe('unauthorized');
    expect(metricsAccess(auth(`Bearer ${TOKEN}x`), '127.0.0.1', hash)).toBe('unauthorized');
    expect(metricsAccess(auth(TOKEN), '127.0.0.1', hash)).toBe('unauthorized');
    expect(metricsAccess(auth(`Basic ${TOKEN}`), '127.0.0.1', hash)).toBe('unauthorized');
  });

  it('reads loopback addresses as IPv4 127/8 and ::1 only', () => {
    expect(isLoopback('127.255.0.1')).toBe(true);
    expect(isLoopback('128.0.0.1')).toBe(false);
    expect(isLoopback('::2')).toBe(false);
    expect(isLoopback('1127.0.0.1')).toBe(false);
  });
});
