import { boundAad, KEY_BYTES, keyedIndex, open, seal } from './key-wrap.js';

/** A ciphertext that does not open: another row's, another owner's, a destroyed key's, or damaged. */
export class UnreadableDataError extends Error {
  constructor(readonly purpose: string) {
    super(`stored ${purpose} could not be decrypted`);
    this.name = 'UnreadableDataError';
  }
}

/**
 * The keys of one owner (a petition, or the service itself for `global`): a random data key for
 * ciphertexts and a random index key for blind indexes, unwrapped from `data_keys` (see KeyRing).
 *
 * Every ciphertext binds its purpose and its row's id as associated data, so one copied to another
 * row or read as another thing does not open. An owner's index of a value is keyed twice:
 * `HMAC(owner index key, purpose, HMAC(global index key, purpose, value))`. The inner, global
 * index is what the service stored before keys were per petition, so converted rows and new ones
 * agree; only the outer one is stored, so nothing links one person across petitions without keys.
 */
export class OwnerKeys {
  private destroyed = false;

  constructor(
    readonly owner: string,
    private readonly dataKey: Buffer,
    private readonly indexKey: Buffer,
    private readonly globalIndexKey: Buffer,
  ) {}

  /** From the 64 bytes `data key | index key` held wrapped. */
  static fromMaterial(owner: string, material: Buffer, globalIndexKey: Buffer): OwnerKeys {
    if (material.length !== 2 * KEY_BYTES) throw new Error('key material must be 64 bytes');
    return new OwnerKeys(
      owner,
      Buffer.from(material.subarray(0, KEY_BYTES)),
      Buffer.from(material.subarray(KEY_BYTES)),
      globalIndexKey,
    );
  }

  encrypt(plaintext: string, purpose: string, rowId: string): Buffer {
    return this.encryptBytes(Buffer.from(plaintext, 'utf8'), purpose, rowId);
  }

  encryptBytes(plaintext: Buffer, purpose: string, rowId: string): Buffer {
    return seal(this.live(this.dataKey), plaintext, boundAad(purpose, rowId));
  }

  /** Throws UnreadableDataError when the ciphertext is not this owner's, for this row and purpose. */
  decrypt(blob: Buffer, purpose: string, rowId: string): string {
    return this.decryptBytes(blob, purpose, rowId).toString('utf8');
  }

  decryptBytes(blob: Buffer, purpose: string, rowId: string): Buffer {
    try {
      return open(this.live(this.dataKey), blob, boundAad(purpose, rowId));
    } catch {
      throw new UnreadableDataError(purpose);
    }
  }

  /** The service-wide index of a value (see the class comment): kept only encrypted, or in blocks. */
  globalIndex(value: string, purpose: string): Buffer {
    return keyedIndex(this.globalIndexKey, purpose, value);
  }

  /** This owner's blind index of a value. */
  index(value: string, purpose: string): Buffer {
    return this.indexOfGlobal(this.globalIndex(value, purpose), purpose);
  }

  /** This owner's blind index, from the global one. */
  indexOfGlobal(globalIndex: Buffer, purpose: string): Buffer {
    return keyedIndex(this.live(this.indexKey), purpose, globalIndex);
  }

  /** The service-wide index key these keys were opened with (shared, not this owner's own). */
  globalIndexKeyBytes(): Buffer {
    return this.globalIndexKey;
  }

  /** Overwrites the key bytes held in memory: after this, every use throws. */
  destroy(): void {
    this.destroyed = true;
    this.dataKey.fill(0);
    this.indexKey.fill(0);
  }

  get isDestroyed(): boolean {
    return this.destroyed;
  }

  private live(key: Buffer): Buffer {
    if (this.destroyed) throw new UnreadableDataError('key (destroyed)');
    return key;
  }
}
