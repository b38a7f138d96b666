import { keyedIndex } from './key-wrap.js';
import { OwnerKeys, UnreadableDataError } from './owner-keys.js';

const globalIndexKey = Buffer.alloc(32, 7);
const keysOf = (byte: number) =>
  OwnerKeys.fromMaterial(`petition:${byte}`, Buffer.alloc(64, byte), globalIndexKey);
const ROW = '6f1c3f0e-3b7a-4c55-9f1e-0a4c2b1d9e77';
const OTHER_ROW = '11111111-2222-4333-8444-555555555555';

describe('OwnerKeys', () => {
  const a = keysOf(1);
  const b = keysOf(2);

  it('encrypts bound to its row: another row, purpose or owner cannot read it', () => {
    const blob = a.encrypt('anna.example@example.test', 'signatory.email', ROW);
    expect(blob.toString('latin1')).not.toContain('anna');
    expect(a.decrypt(blob, 'signatory.email', ROW)).toBe('anna.example@example.test');
    expect(() => a.decrypt(blob, 'signatory.email', OTHER_ROW)).toThrow(UnreadableDataError);
    expect(() => a.decrypt(blob, 'signature.token', ROW)).toThrow(UnreadableDataError);
    expect(() => b.decrypt(blob, 'signatory.email', ROW)).toThrow(UnreadableDataError);
  });

  it('keys its blind indexes per owner, from the global index the service kept before', () => {
    const value = 'x@example.test';
    const global = keyedIndex(globalIndexKey, 'signatory.email', value);
    expect(a.globalIndex(value, 'signatory.email').equals(global)).toBe(true);
    expect(
      a.index(value, 'signatory.email').equals(a.indexOfGlobal(global, 'signatory.email')),
    ).toBe(true);
    expect(a.index(value, 'signatory.email').equals(b.index(value, 'signatory.email'))).toBe(false);
    expect(a.index(value, 'signatory.email').equals(a.index(value, 'signature.source-ip'))).toBe(
      false,
    );
    expect(a.index(value, 'signatory.email').equals(global)).toBe(false);
  });

  it('opens nothing once destroyed', () => {
    const c = keysOf(3);
    const blob = c.encrypt('value', 'p', ROW);
    c.destroy();
    expect(c.isDestroyed).toBe(true);
    expect(() => c.decrypt(blob, 'p', ROW)).toThrow(UnreadableDataError);
    expect(() => c.index('value', 'p')).toThrow(UnreadableDataError);
  });
});
