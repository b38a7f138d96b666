import { ValidationError } from 'class-validator';
import { flattenValidationErrors } from './validation.pipe.js';

function error(
  property: string,
  constraints?: Record<string, string>,
  children: ValidationError[] = [],
): ValidationError {
  return Object.assign(new ValidationError(), { property, constraints, children });
}

describe('flattenValidationErrors', () => {
  it('gives each message its dotted or indexed field path', () => {
    const errors = [
      error('title', { isLength: 'title must be longer than or equal to 5 characters' }),
      error('signatures', undefined, [
        error('3', undefined, [error('email', { isEmail: 'email must be an email' })]),
      ]),
      error('hack', { whitelistValidation: 'property hack should not exist' }),
    ];
    expect(flattenValidationErrors(errors)).toEqual([
      { field: 'title', message: 'title must be longer than or equal to 5 characters' },
      { field: 'signatures[3].email', message: 'email must be an email' },
      { field: 'hack', message: 'unknown field' },
    ]);
  });
});
