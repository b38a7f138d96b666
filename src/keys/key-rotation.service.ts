import { Injectable, Logger } from '@nestjs/common';
import { DataKeysRepository } from './data-keys.repository.js';
import { KeyRing } from './key-ring.service.js';

const BATCH = 200;
/** Rows per run at most: a large backlog is spread over several runs. */
const PER_RUN = 20_000;

/** GET /health `checks.keys`: how far a rotation has got, and what no configured key opens. */
export interface KeysCheck {
  status: 'ok' | 'rotating' | 'warning';
  currentKeyId: string;
  wrappedUnderCurrent: number;
  wrappedUnderPrevious: number;
  /** Rows wrapped under a key id that is neither DATA_ENCRYPTION_KEY nor a previous key. */
  unreadable: number;
  /** Each of PREVIOUS_DATA_ENCRYPTION_KEYS, by key id, with how many rows it still wraps. */
  previousKeys: Array<{ keyId: string; wraps: number }>;
}

/**
 * Key rotation (job `rewrap-data-keys`, every KEY_ROTATION_INTERVAL_SECONDS): every row of
 * `data_keys` still wrapped under one of PREVIOUS_DATA_ENCRYPTION_KEYS is unwrapped and wrapped
 * again under DATA_ENCRYPTION_KEY, in batches locked with SKIP LOCKED, so many workers share it.
 * Only the small wrapped keys change: no ciphertext is touched. Once nothing is under a previous
 * key, the service runs with DATA_ENCRYPTION_KEY alone and /health says so.
 */
@Injectable()
export class KeyRotationService {
  private readonly logger = new Logger(KeyRotationService.name);

  constructor(
    private readonly ring: KeyRing,
    private readonly repository: DataKeysRepository,
  ) {}

  async rewrapAll(): Promise<{ rewrapped: number; failed: number }> {
    const previous = this.ring.masters.filter((m) => !m.current).map((m) => m.id);
    let rewrapped = 0;
    let failed = 0;
    if (previous.length === 0) return { rewrapped, failed };
    while (rewrapped < PER_RUN) {
      const batch = await this.repository.rewrapBatch(
        previous,
        this.ring.current.id,
        BATCH,
        (row) => {
          try {
            return this.ring.rewrap(row.scope, row.owner_id, row.wrapped, row.wrapping_key_id);
          } catch {
            return null; // damaged or moved: left as it is, and reported
          }
        },
      );
      rewrapped += batch.rewrapped;
      failed += batch.failed;
      if (batch.rewrapped === 0) break;
    }
    if (rewrapped > 0)
      this.logger.log({ msg: 'data keys re-wrapped under the current key', rewrapped });
    if (failed > 0) this.logger.warn({ msg: 'data keys that did not open to re-wrap', failed });
    return { rewrapped, failed };
  }

  async check(): Promise<KeysCheck> {
    const counts = await this.repository.countByWrappingKey();
    const current = this.ring.current.id;
    const previousKeys = this.ring.masters
      .filter((m) => !m.current)
      .map((m) => ({ keyId: m.id, wraps: counts.get(m.id) ?? 0 }));
    const known = new Set(this.ring.masters.map((m) => m.id));
    const unreadable = [...counts].reduce((n, [id, c]) => (known.has(id) ? n : n + c), 0);
    const wrappedUnderPrevious = previousKeys.reduce((n, k) => n + k.wraps, 0);
    const status =
      unreadable > 0 || previousKeys.some((k) => k.wraps === 0)
        ? 'warning'
        : wrappedUnderPrevious > 0
          ? 'rotating'
          : 'ok';
    return {
      status,
      currentKeyId: current,
      wrappedUnderCurrent: counts.get(current) ?? 0,
      wrappedUnderPrevious,
      unreadable,
      previousKeys,
    };
  }
}
