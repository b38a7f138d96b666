import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';

export const DEVELOPMENT_KEY_FILE = resolve('.countersign/development-data-key');

/**
 * Development only: a key kept in a local file (git-ignored), so that signer data survives a
 * restart and the API and a separate worker read it alike. Production must set DATA_ENCRYPTION_KEY.
 */
export function loadOrCreateDevelopmentKey(file = DEVELOPMENT_KEY_FILE): Buffer {
  try {
    const key = Buffer.from(readFileSync(file, 'utf8').trim(), 'base64');
    if (key.length === 32) return key;
  } catch {
    // no key yet
  }
  const key = randomBytes(32);
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, `${key.toString('base64')}\n`, { mode: 0o600 });
  return key;
}
