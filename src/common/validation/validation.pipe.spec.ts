import { ValidationError } from 'class-validator';
import { IsString } from './validators.js';
import { AppValidationPipe, flattenValidationErrors } from './validation.pipe.js';

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

class NoteDto {
  @IsString()
  note!: string;
}

describe('AppValidationPipe', () => {
  const pipe = new AppValidationPipe();

  it('hands a custom decorator’s value and a string route param back as they are, without a promise', () => {
    const principal = { id: 'a', role: 'admin' };
    expect(pipe.transform(principal, { type: 'custom' })).toBe(principal);
    expect(pipe.transform('my-petition', { type: 'param', metatype: String, data: 'id' })).toBe(
      'my-petition',
    );
  });

  it('still validates bodies, unknown fields and all', async () => {
    await expect(
      pipe.transform({ note: 'hi' }, { type: 'body', metatype: NoteDto }),
    ).resolves.toBeInstanceOf(NoteDto);
    await expect(
      pipe.transform({ note: 'hi', extra: 1 }, { type: 'body', metatype: NoteDto }),
    ).rejects.toMatchObject({ code: 'validation_failed' });
    await expect(pipe.transform([], { type: 'body', metatype: NoteDto })).rejects.toMatchObject({
      code: 'validation_failed',
    });
  });
});
