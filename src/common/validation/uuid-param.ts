import { Param, ParseUUIDPipe } from '@nestjs/common';
import { DomainError } from '../errors/domain-error.js';

/** A UUID route parameter; anything else cannot name an existing resource, so it is a 404. */
export function UuidParam(name: string, what: string): ParameterDecorator {
  return Param(name, new ParseUUIDPipe({ exceptionFactory: () => DomainError.notFound(what) }));
}
