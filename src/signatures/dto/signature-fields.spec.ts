import { plainToInstance } from 'class-transformer';
import { validateSync } from 'class-validator';
import { toValidationIssues } from '../../common/validation/validation-issues.js';
import { ImportRowDto } from './import.dto.js';
import { SignDto } from './sign.dto.js';
import { SIGNER_FIELD_LIMITS } from './signature-fields.js';

const issues = (type: new () => object, plain: object) =>
  toValidationIssues(
    validateSync(plainToInstance(type, plain), {
      whitelist: true,
      forbidNonWhitelisted: true,
      validationError: { target: false, value: false },
    }),
  );

/** A value of exactly `length` characters that is otherwise valid for the field. */
function valueOf(field: string, length: number): string {
  if (field !== 'email') return 'x'.repeat(length);
  // anna@ddd…d.ddd…d.org, in labels of 60 characters (an address allows 63).
  const domain = Array.from({ length: length - 'anna@.org'.length }, (_, i) =>
    i % 61 === 60 ? '.' : 'd',
  ).join('');
  return `anna@${domain}.org`;
}

const signer = { fullName: 'Anna Testova', email: 'anna@example.org' };

describe('SIGNER_FIELD_LIMITS', () => {
  it('holds the contract’s lengths', () => {
    expect(SIGNER_FIELD_LIMITS).toEqual({
      fullName: { maxLength: 200 },
      email: { maxLength: 254 },
      district: { maxLength: 200 },
      title: { maxLength: 200 },
      comment: { maxLength: 1000 },
    });
  });

  it.each(Object.entries(SIGNER_FIELD_LIMITS))(
    'is what signing checks %s against',
    (field, { maxLength }) => {
      expect(issues(SignDto, { ...signer, [field]: valueOf(field, maxLength) })).toEqual([]);
      expect(issues(SignDto, { ...signer, [field]: valueOf(field, maxLength + 1) })).toEqual(
        expect.arrayContaining([
          {
            field,
            rule: 'tooLong',
            limit: maxLength,
            message: `${field} must be at most ${maxLength} characters`,
          },
        ]),
      );
    },
  );
});

describe('SignDto and ImportRowDto', () => {
  it('require a full name; signing also an email', () => {
    expect(issues(SignDto, {})).toEqual(
      expect.arrayContaining([
        { field: 'fullName', rule: 'required', message: 'fullName is required' },
        { field: 'email', rule: 'required', message: 'email is required' },
      ]),
    );
    expect(issues(SignDto, {})).toHaveLength(2);
    expect(issues(ImportRowDto, { email: ' ' })).toEqual([
      { field: 'fullName', rule: 'required', message: 'fullName is required' },
      { field: 'email', rule: 'email', message: 'email must be an email address' },
    ]);
    expect(issues(ImportRowDto, { fullName: 'Anna Testova' })).toEqual([]);
  });
});
