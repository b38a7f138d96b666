import { createHash, timingSafeEqual } from 'node:crypto';
import { randomBytesPooled } from './random-pool.js';

/**
 * Bearer and signer tokens: 32 random bytes, base64url. Only their SHA-256 is stored. A slow hash
 * (scrypt) buys nothing here: the input has 256 bits of entropy, so the hash cannot be brute-forced,
 * and a fast hash keeps the per-request lookup cheap.
 */
export function generateToken(): string {
  return randomBytesPooled(32).toString('base64url');
}

export function hashToken(token: string): Buffer {
  return createHash('sha256').update(token, 'utf8').digest();
}

/** Constant-time comparison of two hashes (length is not secret: both are SHA-256). */
export function hashesEqual(a: Buffer, b: Buffer): boolean {
  return a.length === b.length && timingSafeEqual(a, b);
}
