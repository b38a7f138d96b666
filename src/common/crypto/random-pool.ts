import { randomFillSync } from 'node:crypto';

const POOL_BYTES = 4096;
let pool = Buffer.alloc(0);
let offset = 0;

/**
 * `n` bytes from the operating system's CSPRNG, like `randomBytes(n)`, but drawn from a pool
 * filled 4 KiB at a time: one call into OpenSSL per ~100 tokens or IVs instead of one each (the
 * way Node's own `randomUUID` works). Each byte is handed out once; the caller gets a copy.
 */
export function randomBytesPooled(n: number): Buffer {
  if (n > POOL_BYTES) throw new RangeError(`at most ${POOL_BYTES} bytes at once`);
  if (offset + n > pool.length) {
    pool = randomFillSync(Buffer.allocUnsafe(POOL_BYTES));
    offset = 0;
  }
  const out = Buffer.allocUnsafe(n);
  pool.copy(out, 0, offset, offset + n);
  pool.fill(0, offset, offset + n); // handed out: not kept in memory longer than needed
  offset += n;
  return out;
}
