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
      error('title', { minLength: 'title must be at least 5 characters' }),
      error('signatures', undefined, [
        error('3', undefined, [error('email', { isEmail: 'email must be an email address' })]),
      ]),
      error('hack', { whitelistValidation: 'property hack should not exist' }),
    ];
    expect(flattenValidationErrors(errors)).toEqual([
      { field: 'title', message: 'title must be at least 5 characters' },
      { field: 'signatures[3].email', message: 'email must be an email address' },
      { field: 'hack', message: 'unknown field' },
    ]);
  });

  it('says only "is required" for a missing field', () => {
    const errors = [
      error('fullName', {
        isRequired: 'fullName is required',
        maxLength: 'fullName must be at most 200 characters',
        isString: 'fullName must be a string',
      }),
    ];
    expect(flattenValidationErrors(errors)).toEqual([
      { field: 'fullName', message: 'fullName is required' },
    ]);
  });
});
