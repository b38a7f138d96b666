import { DomainError } from '../errors/domain-error.js';
import { decodeCursor, encodeCursor, toPage } from './cursor.js';

const ID = '3f1c2d4e-5a6b-4c7d-8e9f-0a1b2c3d4e5f';

describe('cursors', () => {
  it('round-trip', () => {
    const cursor = { at: '2026-11-24T10:00:00.000Z', id: ID };
    expect(decodeCursor(encodeCursor(cursor))).toEqual(cursor);
  });

  it.each([
    '',
    'garbage',
    Buffer.from('[1,2]').toString('base64url'),
    Buffer.from('["x","y"]').toString('base64url'),
  ])('refuses %p with invalid_cursor', (raw) => {
    expect(() => decodeCursor(raw)).toThrow(DomainError);
    try {
      decodeCursor(raw);
    } catch (error) {
      expect((error as DomainError).code).toBe('invalid_cursor');
    }
  });

  it('pages with one extra row telling whether there is more', () => {
    const rows = [1, 2, 3].map((n) => ({ n, at: `2026-11-2${n}T00:00:00.000Z`, id: ID }));
    const full = toPage(
      rows,
      2,
      (r) => ({ at: r.at, id: r.id }),
      (r) => r.n,
    );
    expect(full.items).toEqual([1, 2]);
    expect(decodeCursor(full.nextCursor!)).toEqual({ at: rows[1].at, id: ID });
    expect(
      toPage(
        rows.slice(0, 2),
        2,
        (r) => r,
        (r) => r.n,
      ).nextCursor,
    ).toBeNull();
  });
});
