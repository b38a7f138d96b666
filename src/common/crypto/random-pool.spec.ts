import { randomBytesPooled } from './random-pool.js';

describe('randomBytesPooled', () => {
  it('gives the length asked for, never the same bytes twice, across pool refills', () => {
    const seen = new Set<string>();
    for (let i = 0; i < 1000; i++) {
      const bytes = randomBytesPooled(i % 2 === 0 ? 32 : 12);
      expect(bytes.length).toBe(i % 2 === 0 ? 32 : 12);
      seen.add(bytes.toString('hex'));
    }
    expect(seen.size).toBe(1000);
  });

  it('hands out copies: a returned buffer does not change when more is drawn', () => {
    const first = randomBytesPooled(32);
    const kept = Buffer.from(first);
    for (let i = 0; i < 500; i++) randomBytesPooled(32);
    expect(first.equals(kept)).toBe(true);
  });

  it('refuses more than the pool holds', () => {
    expect(() => randomBytesPooled(4097)).toThrow(RangeError);
  });
});
