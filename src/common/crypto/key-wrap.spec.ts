import { boundAad, masterKeyId, open, seal, unwrapKey, wrapKey } from './key-wrap.js';

const master = Buffer.alloc(32, 1);
const other = Buffer.alloc(32, 2);
const material = Buffer.alloc(64, 9);

describe('key wrapping', () => {
  it('wraps under a master key and opens only with it, for the same owner', () => {
    const wrapped = wrapKey(master, material, 'petition:a');
    expect(wrapped.includes(material.subarray(0, 16))).toBe(false);
    expect(unwrapKey(master, wrapped, 'petition:a').equals(material)).toBe(true);
    expect(() => unwrapKey(other, wrapped, 'petition:a')).toThrow();
    // A wrapped key copied to another owner does not open there.
    expect(() => unwrapKey(master, wrapped, 'petition:b')).toThrow();
    const tampered = Buffer.from(wrapped);
    tampered[tampered.length - 1] ^= 1;
    expect(() => unwrapKey(master, tampered, 'petition:a')).toThrow();
  });

  it('wraps with a fresh IV each time', () => {
    expect(wrapKey(master, material, 'x').equals(wrapKey(master, material, 'x'))).toBe(false);
  });

  it('names each master key by a stable id that is not the key', () => {
    expect(masterKeyId(master)).toMatch(/^[0-9a-f]{16}$/);
    expect(masterKeyId(master)).toBe(masterKeyId(Buffer.alloc(32, 1)));
    expect(masterKeyId(other)).not.toBe(masterKeyId(master));
    expect(master.toString('hex')).not.toContain(masterKeyId(master));
  });
});

describe('associated data', () => {
  const key = Buffer.alloc(32, 5);
  const row = '6f1c3f0e-3b7a-4c55-9f1e-0a4c2b1d9e77';

  it('binds purpose and row id: another row or purpose does not open', () => {
    const blob = seal(key, Buffer.from('value'), boundAad('signatory.email', row));
    expect(open(key, blob, boundAad('signatory.email', row)).toString()).toBe('value');
    expect(open(key, blob, boundAad('signatory.email', row.toUpperCase())).toString()).toBe(
      'value',
    );
    expect(() =>
      open(key, blob, boundAad('signatory.email', '00000000-0000-0000-0000-000000000001')),
    ).toThrow();
    expect(() => open(key, blob, boundAad('signature.token', row))).toThrow();
  });

  it('refuses what is not a v2 ciphertext', () => {
    expect(() => open(key, Buffer.from('short'), 'x')).toThrow('not a ciphertext');
    const v1 = seal(key, Buffer.from('value'), 'x', 1);
    expect(() => open(key, v1, 'x')).toThrow('not a ciphertext');
  });
});
