import { IsString, ValidationError } from 'class-validator';
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
