import type { ErrorCode } from './error-code.js';

/**
 * What services throw. It knows nothing of HTTP: the global filter maps `code` to a status.
 * The message goes to the client, so it must never carry signer data, tokens or secrets.
 */
export class DomainError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly details: unknown[] = [],
  ) {
    super(message);
    this.name = 'DomainError';
  }

  static notFound(what = 'Resource'): DomainError {
    return new DomainError('not_found', `${what} not found`);
  }
}
