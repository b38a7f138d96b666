import { sourceOf } from './source-address.js';

describe('sourceOf', () => {
  it('keeps an IPv4 address as it is', () => {
    expect(sourceOf('192.0.2.7')).toBe('192.0.2.7');
  });

  it('takes an IPv4-mapped IPv6 address as its IPv4 address', () => {
    expect(sourceOf('::ffff:192.0.2.7')).toBe('192.0.2.7');
  });

  it('takes IPv6 addresses by their /64, however they are written', () => {
    const a = sourceOf('2001:db8:0:1::1');
    expect(a).toBe('2001:db8:0:1::/64');
    expect(sourceOf('2001:0DB8:0000:0001:ffff:ffff:ffff:ffff')).toBe(a);
    expect(sourceOf('2001:db8:0:1:0:0:0:2%eth0')).toBe(a);
    expect(sourceOf('2001:db8:0:2::1')).not.toBe(a);
    expect(sourceOf('::1')).toBe('0:0:0:0::/64');
  });

  it('returns what it cannot parse unchanged, as a source of its own', () => {
    expect(sourceOf('not-an-ip')).toBe('not-an-ip');
  });
});
