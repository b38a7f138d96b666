import { randomBytes } from 'node:crypto';
import { Injectable, Logger } from '@nestjs/common';
import { masterKeyId, unwrapKey, wrapKey, KEY_BYTES } from '../common/crypto/key-wrap.js';
import { OwnerKeys } from '../common/crypto/owner-keys.js';
import { DomainError } from '../common/errors/domain-error.js';
import { UUID } from '../common/validation/uuid.js';
import { AppConfig } from '../config/app-config.js';
import { DataKeysRepository, GLOBAL_OWNER, type KeyScope } from './data-keys.repository.js';

/**
 * Unwrapped keys are kept this long in memory, then read (and unwrapped) again: one query per
 * petition per minute and process. Short, because a petition's keys may be destroyed (by another
 * process) soon after it closes, and no process should hold them long after that.
 */
const CACHE_TTL_MS = 60_000;
/** A petition that is no longer open may reach the end of its retention at any moment. */
const CLOSED_TTL_MS = 15_000;
const CACHE_MAX = 10_000;

/** What a petition reference resolves to: its id, and its keys (null once they are destroyed). */
export interface PetitionTarget {
  petitionId: string;
  keys: OwnerKeys | null;
}

/** A master key: DATA_ENCRYPTION_KEY or one of PREVIOUS_DATA_ENCRYPTION_KEYS, by its key id. */
export interface MasterKey {
  id: string;
  key: Buffer;
  current: boolean;
}

/** The AAD owner name of a row's keys. */
export const ownerName = (scope: KeyScope, ownerId: string) => `${scope}:${ownerId}`;

/**
 * The keys of each petition (and of anything else with data of its own: `register` is ready for
 * register entries, `global` holds the service-wide index key of blocks). Each owner's random data
 * key and index key are stored only wrapped by DATA_ENCRYPTION_KEY, with the wrapping key's id, in
 * `data_keys`; a petition gets its keys the first time they are needed, and never again once they
 * were destroyed (see RetentionService). Unwrapped keys are cached in memory (a minute, at most
 * 10,000 owners) so the sign path costs one map lookup, not a query.
 */
@Injectable()
export class KeyRing {
  private readonly logger = new Logger(KeyRing.name);
  readonly masters: readonly MasterKey[];
  private readonly cache = new Map<string, { target: PetitionTarget; until: number }>();
  private readonly scopes = new Map<string, { keys: OwnerKeys; until: number }>();
  /** Lookups under way, so a burst of signs on a cold petition makes one query, not hundreds. */
  private readonly loading = new Map<string, Promise<PetitionTarget | null>>();
  private global?: Promise<OwnerKeys>;

  constructor(
    private readonly repository: DataKeysRepository,
    config: AppConfig,
  ) {
    this.masters = [
      { id: masterKeyId(config.dataEncryptionKey), key: config.dataEncryptionKey, current: true },
      ...config.previousDataEncryptionKeys.map((key) => ({
        id: masterKeyId(key),
        key,
        current: false,
      })),
    ];
  }

  get current(): MasterKey {
    return this.masters[0];
  }

  /**
   * A petition by id or slug, with its keys (made now if it has none yet); null when there is no
   * such petition. Slugs are cached only once a petition has left `draft`: a draft's slug follows
   * its title, so it could later name another petition.
   */
  async petition(ref: string): Promise<PetitionTarget | null> {
    const hit = this.cache.get(ref);
    if (hit && hit.until > Date.now() && !hit.target.keys?.isDestroyed) return hit.target;
    let loading = this.loading.get(ref);
    if (!loading) {
      loading = this.load(ref).finally(() => this.loading.delete(ref));
      this.loading.set(ref, loading);
    }
    return loading;
  }

  private async load(ref: string): Promise<PetitionTarget | null> {
    const now = Date.now();
    const byId = UUID.test(ref);
    const row = await this.repository.petition(byId ? ref.toLowerCase() : ref, byId);
    if (!row) return null;
    let keys: OwnerKeys | null = null;
    if (row.personal_data_erased_at === null) {
      const wrapped =
        row.wrapped && row.wrapping_key_id
          ? { wrapped: row.wrapped, wrapping_key_id: row.wrapping_key_id }
          : await this.create('petition', row.id);
      // Null: erased between the read and now.
      if (wrapped) keys = this.open('petition', row.id, wrapped, await this.globalKeys());
    }
    const target = { petitionId: row.id, keys };
    const ttl = row.status === 'open' ? CACHE_TTL_MS : CLOSED_TTL_MS;
    this.remember(row.id, target, now + ttl);
    if (!byId && row.status !== 'draft') this.remember(ref, target, now + ttl);
    return target;
  }

  /** The keys of a petition known to exist; null once destroyed. */
  async petitionKeys(petitionId: string): Promise<OwnerKeys | null> {
    return (await this.petition(petitionId))?.keys ?? null;
  }

  /**
   * Keys of another scope (e.g. `register`), made on first use. Not for petitions: use `petition`,
   * which knows when a petition's keys were destroyed and must not come back.
   */
  async scopeKeys(scope: Exclude<KeyScope, 'petition' | 'global'>, ownerId: string) {
    const name = ownerName(scope, ownerId);
    const hit = this.scopes.get(name);
    if (hit && hit.until > Date.now() && !hit.keys.isDestroyed) return hit.keys;
    const row = (await this.repository.find(scope, ownerId)) ?? (await this.create(scope, ownerId));
    if (!row) throw new Error(`keys of ${scope} ${ownerId} vanished as they were made`);
    const keys = this.open(scope, ownerId, row, await this.globalKeys());
    this.scopes.set(name, { keys, until: Date.now() + CACHE_TTL_MS });
    return keys;
  }

  /** The service-wide keys: their index key makes the global source hashes blocks compare. */
  globalKeys(): Promise<OwnerKeys> {
    this.global ??= this.loadGlobal().catch((error: unknown) => {
      this.global = undefined;
      throw error;
    });
    return this.global;
  }

  /** Drops a petition's keys from memory and overwrites them (after they were destroyed). */
  forget(petitionId: string): void {
    for (const [ref, entry] of this.cache) {
      if (entry.target.petitionId === petitionId) {
        entry.target.keys?.destroy();
        this.cache.delete(ref);
      }
    }
  }

  /** Every petition's keys this process holds now: what a shredded ciphertext must not open with. */
  heldKeys(): OwnerKeys[] {
    return [...this.cache.values()].flatMap((entry) => entry.target.keys ?? []);
  }

  /**
   * Unwraps with whichever master key's id the row names. When no configured key has that id, or
   * it does not open, the service cannot work with that owner's data: a 503 (the operator must
   * add the missing key, see /health), never a 500 and never a silent new key.
   */
  unwrap(scope: KeyScope, ownerId: string, wrapped: Buffer, wrappingKeyId: string): Buffer {
    const master = this.masters.find((m) => m.id === wrappingKeyId);
    try {
      if (!master) throw new Error('no configured key has this id');
      return unwrapKey(master.key, wrapped, ownerName(scope, ownerId));
    } catch {
      this.logger.error({
        msg: 'data keys do not open with any configured key',
        scope,
        ownerId,
        wrappingKeyId,
      });
      throw new DomainError(
        'service_unavailable',
        'Signer data cannot be read right now: the service is missing one of its keys',
      );
    }
  }

  /** The row's keys wrapped again under DATA_ENCRYPTION_KEY. */
  rewrap(scope: KeyScope, ownerId: string, wrapped: Buffer, wrappingKeyId: string): Buffer {
    const material = this.unwrap(scope, ownerId, wrapped, wrappingKeyId);
    try {
      return wrapKey(this.current.key, material, ownerName(scope, ownerId));
    } finally {
      material.fill(0);
    }
  }

  private open(
    scope: KeyScope,
    ownerId: string,
    row: { wrapped: Buffer; wrapping_key_id: string },
    global: OwnerKeys | null,
  ): OwnerKeys {
    const material = this.unwrap(scope, ownerId, row.wrapped, row.wrapping_key_id);
    try {
      return OwnerKeys.fromMaterial(
        ownerName(scope, ownerId),
        material,
        global ? global.globalIndexKeyBytes() : Buffer.from(material.subarray(KEY_BYTES)),
      );
    } finally {
      material.fill(0);
    }
  }

  private async create(scope: KeyScope, ownerId: string) {
    const material = randomBytes(2 * KEY_BYTES);
    try {
      const wrapped = wrapKey(this.current.key, material, ownerName(scope, ownerId));
      return await this.repository.insertOrGet(scope, ownerId, wrapped, this.current.id);
    } finally {
      material.fill(0);
    }
  }

  private async loadGlobal(): Promise<OwnerKeys> {
    const row =
      (await this.repository.find('global', GLOBAL_OWNER)) ??
      (await this.create('global', GLOBAL_OWNER));
    if (!row) throw new Error('the service-wide keys vanished as they were made');
    this.logger.debug('service-wide keys loaded');
    return this.open('global', GLOBAL_OWNER, row, null);
  }

  private remember(ref: string, target: PetitionTarget, until: number): void {
    if (this.cache.size >= CACHE_MAX) {
      const oldest = this.cache.keys().next().value;
      if (oldest !== undefined) this.cache.delete(oldest);
    }
    this.cache.set(ref, { target, until });
  }
}
