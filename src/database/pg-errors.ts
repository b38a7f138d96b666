/** SQLSTATE of the PostgreSQL error behind a TypeORM or pg error, if there is one. */
export function sqlState(error: unknown): string | undefined {
  const candidate = error as { code?: unknown; driverError?: { code?: unknown } };
  const code = candidate?.driverError?.code ?? candidate?.code;
  return typeof code === 'string' ? code : undefined;
}

export function isUniqueViolation(error: unknown, constraint?: string): boolean {
  if (sqlState(error) !== '23505') return false;
  if (!constraint) return true;
  const candidate = error as { constraint?: unknown; driverError?: { constraint?: unknown } };
  return (candidate.driverError?.constraint ?? candidate.constraint) === constraint;
}
