import { DomainError } from '../errors/domain-error.js';
import { UUID } from '../validation/uuid.js';

/**
 * Keyset pagination cursors: an opaque base64url of the last item's sort key. Keyset, not offset,
 * so a page stays cheap however deep, and rows added meanwhile do not shift it.
 */
export interface TimeIdCursor {
  at: string;
  id: string;
}

export function encodeCursor(cursor: TimeIdCursor): string {
  return Buffer.from(JSON.stringify([cursor.at, cursor.id]), 'utf8').toString('base64url');
}

/** Only what `toISOString()` writes: `Date.parse` accepts strings PostgreSQL does not (`"1"`). */
const ISO_INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

export function decodeCursor(raw: string): TimeIdCursor {
  try {
    const parsed: unknown = JSON.parse(Buffer.from(raw, 'base64url').toString('utf8'));
    if (
      Array.isArray(parsed) &&
      parsed.length === 2 &&
      typeof parsed[0] === 'string' &&
      ISO_INSTANT.test(parsed[0]) &&
      !Number.isNaN(Date.parse(parsed[0])) &&
      typeof parsed[1] === 'string' &&
      UUID.test(parsed[1])
    ) {
      return { at: parsed[0], id: parsed[1] };
    }
  } catch {
    // fall through to the error below
  }
  throw new DomainError('invalid_cursor', 'The cursor is not valid', [
    { field: 'cursor', message: 'not a cursor this API issued' },
  ]);
}

export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

/** Builds a page from `limit + 1` fetched rows: the extra row only tells whether there is more. */
export function toPage<R, T>(
  rows: R[],
  limit: number,
  key: (row: R) => TimeIdCursor,
  map: (row: R) => T,
): Page<T> {
  const more = rows.length > limit;
  const kept = more ? rows.slice(0, limit) : rows;
  return {
    items: kept.map(map),
    nextCursor: more ? encodeCursor(key(kept[kept.length - 1])) : null,
  };
}
