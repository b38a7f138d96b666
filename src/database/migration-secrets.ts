/**
 * What a data migration needs from the configuration that SQL cannot give it: the key that opens
 * stored signer data. `migrate` sets it from the validated config before running migrations (the
 * same DATA_ENCRYPTION_KEY, or the same development key file, as the service uses); a migration
 * that finds data to convert and no key refuses with a message, rather than lose the data.
 */
export interface MigrationSecrets {
  dataEncryptionKey?: Buffer;
  /** RETENTION_DAYS, for petitions that existed before they had a retention of their own. */
  retentionDays?: number;
}

let secrets: MigrationSecrets = {};

export function setMigrationSecrets(next: MigrationSecrets): void {
  secrets = next;
}

export function migrationSecrets(): MigrationSecrets {
  return secrets;
}
