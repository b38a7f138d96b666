import { createCipheriv, createDecipheriv, createHmac, hkdfSync } from 'node:crypto';
import { randomBytesPooled } from './random-pool.js';
import { Injectable } from '@nestjs/common';
import { AppConfig } from '../../config/app-config.js';

const IV_BYTES = 12;
const TAG_BYTES = 16;
const VERSION = 1;

/**
 * Encryption of signer contact data at rest and keyed blind indexes for looking it up.
 *
 * Two sub-keys are derived from DATA_ENCRYPTION_KEY with HKDF, so the encryption key and the
 * index key are never the same bytes. Ciphertext is `version | iv | tag | AES-256-GCM(data)`; a
 * purpose string is bound in as associated data, so a value encrypted as one thing (an email)
 * cannot be passed off as another (a token). Blind indexes are HMAC-SHA-256 under the index key,
 * also with a purpose, so equal emails can be found and made unique without being readable.
 *
 * Signer data no longer uses this (see KeyRing: each petition has keys of its own); what remains
 * is short-lived (sign-in link tokens, until the mail is out) or kept only in Redis (rate-limit
 * keys). Ciphertexts made under a key now listed in PREVIOUS_DATA_ENCRYPTION_KEYS still open.
 */
@Injectable()
export class DataProtector {
  private readonly encryptionKey: Buffer;
  private readonly indexKey: Buffer;
  /** The current key's first, then each previous key's: decryption tries them in turn. */
  private readonly decryptionKeys: Buffer[];

  constructor(config: AppConfig) {
    const derive = (master: Buffer, info: string) =>
      Buffer.from(hkdfSync('sha256', master, Buffer.alloc(0), info, 32));
    this.encryptionKey = derive(config.dataEncryptionKey, 'countersign/encrypt/v1');
    this.indexKey = derive(config.dataEncryptionKey, 'countersign/blind-index/v1');
    this.decryptionKeys = [
      this.encryptionKey,
      ...(config.previousDataEncryptionKeys ?? []).map((key) =>
        derive(key, 'countersign/encrypt/v1'),
      ),
    ];
  }

  encrypt(plaintext: string, purpose: string): Buffer {
    const iv = randomBytesPooled(IV_BYTES);
    const cipher = createCipheriv('aes-256-gcm', this.encryptionKey, iv);
    cipher.setAAD(Buffer.from(purpose, 'utf8'));
    const body = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
    return Buffer.concat([Buffer.from([VERSION]), iv, cipher.getAuthTag(), body]);
  }

  decrypt(blob: Buffer, purpose: string): string {
    if (blob.length < 1 + IV_BYTES + TAG_BYTES || blob[0] !== VERSION) {
      throw new Error('not a ciphertext this service wrote');
    }
    const iv = blob.subarray(1, 1 + IV_BYTES);
    const tag = blob.subarray(1 + IV_BYTES, 1 + IV_BYTES + TAG_BYTES);
    let failure: unknown;
    for (const key of this.decryptionKeys) {
      try {
        const decipher = createDecipheriv('aes-256-gcm', key, iv);
        decipher.setAAD(Buffer.from(purpose, 'utf8'));
        decipher.setAuthTag(tag);
        return Buffer.concat([
          decipher.update(blob.subarray(1 + IV_BYTES + TAG_BYTES)),
          decipher.final(),
        ]).toString('utf8');
      } catch (error) {
        failure = error;
      }
    }
    throw failure;
  }

  blindIndex(value: string, purpose: string): Buffer {
    return createHmac('sha256', this.indexKey)
      .update(purpose)
      .update('\0')
      .update(value, 'utf8')
      .digest();
  }
}
