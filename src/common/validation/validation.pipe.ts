import {
  type ArgumentMetadata,
  Injectable,
  type PipeTransform,
  ValidationPipe,
} from '@nestjs/common';
import { DomainError } from '../errors/domain-error.js';
import type { FieldError } from '../errors/error-code.js';
import { toValidationIssues, type ValidationErrorLike } from './validation-issues.js';

/**
 * The contract's `{field, message}` list: one item per failed rule, with dotted paths, and only
 * "<field> is required" for a field that is missing (see `toValidationIssues`).
 */
export function flattenValidationErrors(
  errors: readonly ValidationErrorLike[],
  parent = '',
): FieldError[] {
  return toValidationIssues(errors, parent).map(({ field, message }) => ({ field, message }));
}

const inner = new ValidationPipe({
  whitelist: true,
  forbidNonWhitelisted: true,
  forbidUnknownValues: true,
  transform: true,
  validationError: { target: false, value: false },
  exceptionFactory: (errors) => {
    const details = flattenValidationErrors(errors);
    const summary = details.map((d) => `${d.field}: ${d.message}`).join('; ');
    return new DomainError('validation_failed', summary || 'Invalid request', details);
  },
});

/**
 * The global pipe: class-validator with unknown fields rejected. A JSON body must be an object;
 * a bare array, string or number is refused before validation sees it.
 */
@Injectable()
export class AppValidationPipe implements PipeTransform {
  transform(value: unknown, metadata: ArgumentMetadata): unknown {
    // Nothing to validate or convert: a custom decorator's value (the principal) and a string
    // route parameter pass Nest's ValidationPipe unchanged. Every parameter of every request
    // runs through this pipe, so these are answered here, without the validator's promises.
    if (metadata.type === 'custom') return value;
    if (metadata.type === 'param' && metadata.metatype === String && typeof value === 'string') {
      return value;
    }
    return this.validate(value, metadata);
  }

  private async validate(value: unknown, metadata: ArgumentMetadata): Promise<unknown> {
    if (metadata.type === 'body' && metadata.metatype && metadata.metatype !== Object) {
      if (value === undefined || value === null) value = {};
      if (typeof value !== 'object' || Array.isArray(value) || Buffer.isBuffer(value)) {
        throw new DomainError('validation_failed', 'The body must be a JSON object', [
          { field: '', message: 'must be a JSON object' },
        ]);
      }
    }
    return inner.transform(value, metadata);
  }
}
