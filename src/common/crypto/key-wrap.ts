import { createCipheriv, createDecipheriv, createHmac, hkdfSync } from 'node:crypto';
import { randomBytesPooled } from './random-pool.js';

/**
 * The primitives of per-owner keys (see KeyRing): wrapping a key under DATA_ENCRYPTION_KEY, the
 * key id that says which master key wrapped it, and AES-256-GCM ciphertexts bound to their row.
 * Pure functions, no IO. Never change a constant: stored data depends on it.
 */
const IV_BYTES = 12;
const TAG_BYTES = 16;
/** Ciphertext version 2: under an owner's own key, bound to purpose and row (v1 is DataProtector). */
const BOUND_VERSION = 2;
/** Version of a wrapped key blob. */
const WRAP_VERSION = 1;
export const KEY_BYTES = 32;

/**
 * A short public name for a master key: which DATA_ENCRYPTION_KEY wrapped a row, so rotation
 * knows which key opens it without trying each. A keyed hash of the key: it reveals nothing of it.
 */
export function masterKeyId(master: Buffer): string {
  return createHmac('sha256', master).update('countersign/key-id/v1').digest('hex').slice(0, 16);
}

/** The key-encryption key: never the master's own bytes, so one key is not used for two things. */
function kek(master: Buffer): Buffer {
  return Buffer.from(hkdfSync('sha256', master, Buffer.alloc(0), 'countersign/key-wrap/v1', 32));
}

/**
 * Wraps key material (AES-256-GCM under the master's KEK). `owner` (e.g. `petition:<id>`) is bound
 * in as associated data with the key id, so a wrapped key copied to another owner does not open.
 */
export function wrapKey(master: Buffer, material: Buffer, owner: string): Buffer {
  return seal(kek(master), material, `wrap|${owner}|${masterKeyId(master)}`, WRAP_VERSION);
}

/** Opens what `wrapKey` wrapped; throws when the master, the owner or the bytes differ. */
export function unwrapKey(master: Buffer, wrapped: Buffer, owner: string): Buffer {
  return open(kek(master), wrapped, `wrap|${owner}|${masterKeyId(master)}`, WRAP_VERSION);
}

/** The associated data of a row's ciphertext: its purpose and its row's id. */
export function boundAad(purpose: string, rowId: string): string {
  return `${purpose}|${rowId.toLowerCase()}`;
}

/** `version | iv | tag | AES-256-GCM(plaintext)` with `aad` bound in. */
export function seal(key: Buffer, plaintext: Buffer, aad: string, version = BOUND_VERSION): Buffer {
  const iv = randomBytesPooled(IV_BYTES);
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  cipher.setAAD(Buffer.from(aad, 'utf8'));
  const body = Buffer.concat([cipher.update(plaintext), cipher.final()]);
  return Buffer.concat([Buffer.from([version]), iv, cipher.getAuthTag(), body]);
}

/** Opens `seal`'s output; throws on another key, another `aad`, or any changed byte. */
export function open(key: Buffer, blob: Buffer, aad: string, version = BOUND_VERSION): Buffer {
  if (blob.length < 1 + IV_BYTES + TAG_BYTES || blob[0] !== version) {
    throw new Error('not a ciphertext this service wrote');
  }
  const decipher = createDecipheriv('aes-256-gcm', key, blob.subarray(1, 1 + IV_BYTES));
  decipher.setAAD(Buffer.from(aad, 'utf8'));
  decipher.setAuthTag(blob.subarray(1 + IV_BYTES, 1 + IV_BYTES + TAG_BYTES));
  return Buffer.concat([
    decipher.update(blob.subarray(1 + IV_BYTES + TAG_BYTES)),
    decipher.final(),
  ]);
}

/** HMAC-SHA-256 of `purpose \0 value`: the blind-index formula, the same since v1. */
export function keyedIndex(key: Buffer, purpose: string, value: string | Buffer): Buffer {
  return createHmac('sha256', key).update(purpose).update('\0').update(value).digest();
}
