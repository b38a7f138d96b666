import type { AppConfig } from '../../config/app-config.js';
import { DataProtector } from './data-protector.js';

const protector = (byte: number) =>
  new DataProtector({ dataEncryptionKey: Buffer.alloc(32, byte) } as AppConfig);

describe('DataProtector', () => {
  const p = protector(1);

  it('round-trips and never writes the plaintext', () => {
    const blob = p.encrypt('anna.example@example.test', 'email');
    expect(blob.toString('latin1')).not.toContain('anna');
    expect(p.decrypt(blob, 'email')).toBe('anna.example@example.test');
  });

  it('uses a fresh IV every time', () => {
    expect(p.encrypt('same', 'email').equals(p.encrypt('same', 'email'))).toBe(false);
  });

  it('refuses tampered data, another purpose, or another key', () => {
    const blob = p.encrypt('value', 'email');
    const tampered = Buffer.from(blob);
    tampered[tampered.length - 1] ^= 1;
    expect(() => p.decrypt(tampered, 'email')).toThrow();
    expect(() => p.decrypt(blob, 'token')).toThrow();
    expect(() => protector(2).decrypt(blob, 'email')).toThrow();
    expect(() => p.decrypt(Buffer.from('short'), 'email')).toThrow('not a ciphertext');
  });

  it('makes blind indexes that are stable, keyed and purpose-bound', () => {
    const a = p.blindIndex('x@example.test', 'email');
    expect(a).toHaveLength(32);
    expect(p.blindIndex('x@example.test', 'email').equals(a)).toBe(true);
    expect(p.blindIndex('x@example.test', 'ip').equals(a)).toBe(false);
    expect(protector(2).blindIndex('x@example.test', 'email').equals(a)).toBe(false);
  });
});
