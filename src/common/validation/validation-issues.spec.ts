import { Type } from 'class-transformer';
import { plainToInstance } from 'class-transformer';
import { IsIn, ValidateNested, validateSync } from 'class-validator';
import { Required } from './required.decorator.js';
import { Trim } from './trim.decorator.js';
import { toValidationIssues } from './validation-issues.js';
import { IsEmail, IsInt, IsString, MaxLength, Min, MinLength, Optional } from './validators.js';

class Row {
  @Trim()
  @Required()
  @IsString()
  @MaxLength(10)
  fullName!: string;

  @Optional()
  @Trim()
  @IsString()
  @MaxLength(20)
  @IsEmail()
  email?: string;
}

class Body {
  @Trim()
  @Required()
  @IsString()
  @MinLength(5)
  @MaxLength(20)
  title!: string;

  @Optional()
  @Trim()
  @IsString()
  @MinLength(1)
  note?: string;

  @Optional()
  @IsInt()
  @Min(1)
  goal?: number;

  @Optional()
  @IsIn(['a', 'b'], { message: 'kind must be "a" or "b"' })
  kind?: string;

  @Optional()
  @ValidateNested({ each: true })
  @Type(() => Row)
  rows?: Row[];
}

const issues = (plain: object) =>
  toValidationIssues(
    validateSync(plainToInstance(Body, plain), {
      whitelist: true,
      forbidNonWhitelisted: true,
      validationError: { target: false, value: false },
    }),
  );

const ok = { title: 'A fine title' };

describe('toValidationIssues', () => {
  it('reports a missing field once, as required, not also as too short or not a string', () => {
    for (const title of [undefined, null, '', '   ']) {
      expect(issues({ title })).toEqual([
        { field: 'title', rule: 'required', message: 'title is required' },
      ]);
    }
  });

  it('names the length rules with their limits', () => {
    expect(issues({ title: 'abc' })).toEqual([
      {
        field: 'title',
        rule: 'tooShort',
        limit: 5,
        message: 'title must be at least 5 characters',
      },
    ]);
    expect(issues({ title: 'x'.repeat(21) })).toEqual([
      {
        field: 'title',
        rule: 'tooLong',
        limit: 20,
        message: 'title must be at most 20 characters',
      },
    ]);
    expect(issues({ ...ok, note: ' ' })).toEqual([
      { field: 'note', rule: 'tooShort', limit: 1, message: 'note must not be empty' },
    ]);
  });

  it('reports a value of the wrong type once, as invalid', () => {
    expect(issues({ title: 42 })).toEqual([
      { field: 'title', rule: 'invalid', message: 'title must be a string' },
    ]);
  });

  it('gives nested fields their dotted and indexed paths', () => {
    expect(
      issues({ ...ok, rows: [{ fullName: 'Anna' }, { fullName: 'Boris', email: 'boris@' }, {}] }),
    ).toEqual([
      { field: 'rows[1].email', rule: 'email', message: 'email must be an email address' },
      { field: 'rows[2].fullName', rule: 'required', message: 'fullName is required' },
    ]);
  });

  it('keeps every failed rule of a field that is present', () => {
    const found = issues({ ...ok, rows: [{ fullName: 'Vera', email: `${'v'.repeat(20)}@` }] });
    expect(found).toHaveLength(2);
    expect(found).toEqual(
      expect.arrayContaining([
        {
          field: 'rows[0].email',
          rule: 'tooLong',
          limit: 20,
          message: 'email must be at most 20 characters',
        },
        { field: 'rows[0].email', rule: 'email', message: 'email must be an email address' },
      ]),
    );
  });

  it('calls every other rule invalid, with its own message', () => {
    expect(issues({ ...ok, goal: 0, kind: 'c', colour: 'red' })).toEqual([
      { field: 'colour', rule: 'invalid', message: 'unknown field' },
      { field: 'goal', rule: 'invalid', message: 'goal must be at least 1' },
      { field: 'kind', rule: 'invalid', message: 'kind must be "a" or "b"' },
    ]);
    expect(issues({ ...ok, goal: 1.5 })).toEqual([
      { field: 'goal', rule: 'invalid', message: 'goal must be a whole number' },
    ]);
  });
});
