import { ImportRowDto } from '../../signatures/dto/import.dto.js';
import { DomainError } from '../errors/domain-error.js';
import { readUploadRows, type RowUploadShape, validateRow } from './row-upload.js';

const shape: RowUploadShape = {
  jsonKey: 'signatures',
  columns: ['fullName', 'email', 'district', 'title'],
  requiredColumn: 'fullName',
  maxRows: 3,
};

/** The DomainError that `read` throws; fails the test when it throws nothing or something else. */
function refusal(read: () => unknown): DomainError {
  try {
    read();
  } catch (error) {
    expect(error).toBeInstanceOf(DomainError);
    return error as DomainError;
  }
  throw new Error('expected the upload to be refused');
}

describe('readUploadRows', () => {
  describe('JSON', () => {
    it('returns the rows under the key', () => {
      const rows = [
        { fullName: 'Anna Testova' },
        { fullName: 'Boris Primerov', email: 'b@x.test' },
      ];
      expect(readUploadRows({ signatures: rows }, shape)).toEqual(rows);
      expect(readUploadRows({ signatures: [] }, shape)).toEqual([]);
    });

    it('refuses an unknown top-level key', () => {
      const error = refusal(() => readUploadRows({ signatures: [], extra: 1 }, shape));
      expect(error.code).toBe('validation_failed');
      expect(error.details).toEqual([{ field: 'extra', message: 'unknown field' }]);
    });

    it('refuses a body without an array of rows', () => {
      for (const body of [{}, { signatures: 'Anna' }, { signatures: { fullName: 'Anna' } }]) {
        expect(refusal(() => readUploadRows(body, shape)).code).toBe('validation_failed');
      }
    });

    it('refuses a body that is not an object', () => {
      for (const body of [null, undefined, 42, [{ fullName: 'Anna Testova' }]]) {
        expect(refusal(() => readUploadRows(body, shape)).code).toBe('validation_failed');
      }
    });

    it('refuses more rows than allowed', () => {
      const rows = Array.from({ length: 4 }, (_, i) => ({ fullName: `Person ${i}` }));
      expect(readUploadRows({ signatures: rows.slice(0, 3) }, shape)).toHaveLength(3);
      const error = refusal(() => readUploadRows({ signatures: rows }, shape));
      expect(error.code).toBe('validation_failed');
      expect(error.message).toContain('3');
    });
  });

  describe('CSV', () => {
    it('reads a header with a BOM, quoted cells and skips empty lines', () => {
      const csv =
        '\uFEFFfullName,email,district\r\n' +
        '"Testova, Anna",anna@example.test,"North\nDistrict"\r\n' +
        '\r\n' +
        '  Boris Primerov  ,,\n' +
        '\n';
      expect(readUploadRows(csv, shape)).toEqual([
        { fullName: 'Testova, Anna', email: 'anna@example.test', district: 'North\nDistrict' },
        { fullName: 'Boris Primerov' },
      ]);
    });

    it('accepts the columns in any order and a header alone', () => {
      expect(readUploadRows('title,fullName\nDr,Anna Testova\n', shape)).toEqual([
        { title: 'Dr', fullName: 'Anna Testova' },
      ]);
      expect(readUploadRows('fullName\n', shape)).toEqual([]);
    });

    it('refuses an unknown column', () => {
      const error = refusal(() => readUploadRows('fullName,phone\nAnna Testova,123\n', shape));
      expect(error.code).toBe('validation_failed');
      expect(error.message).toContain('phone');
    });

    it('refuses a header without the required column', () => {
      const error = refusal(() => readUploadRows('email,district\na@example.test,North\n', shape));
      expect(error.code).toBe('validation_failed');
      expect(error.message).toContain('fullName');
    });

    it('refuses an empty or unreadable CSV', () => {
      expect(refusal(() => readUploadRows('', shape)).code).toBe('validation_failed');
      expect(refusal(() => readUploadRows('fullName\n"Anna', shape)).code).toBe(
        'validation_failed',
      );
    });

    it('refuses more data rows than allowed, not counting the header', () => {
      const header = 'fullName\n';
      const rows = ['Anna A', 'Boris B', 'Vera V', 'Gleb G'];
      expect(readUploadRows(header + rows.slice(0, 3).join('\n'), shape)).toHaveLength(3);
      expect(refusal(() => readUploadRows(header + rows.join('\n'), shape)).code).toBe(
        'validation_failed',
      );
    });

    it('marks a row with more cells than the header, which validateRow refuses', () => {
      const rows = readUploadRows('fullName,email\nAnna Testova,a@example.test,extra\n', shape);
      expect(rows).toHaveLength(1);
      const result = validateRow(ImportRowDto, rows[0], 1);
      expect(result).toEqual({
        error: {
          row: 1,
          code: 'validation_failed',
          message: expect.stringContaining('more cells than the header'),
        },
      });
    });
  });
});

describe('validateRow', () => {
  it('returns the DTO with trimmed strings for a good row', () => {
    const result = validateRow(
      ImportRowDto,
      { fullName: '  Anna Testova ', email: ' anna@example.test ', district: ' North ' },
      1,
    );
    expect(result).toEqual({
      value: { fullName: 'Anna Testova', email: 'anna@example.test', district: 'North' },
    });
    expect('value' in result && result.value).toBeInstanceOf(ImportRowDto);
  });

  it('refuses an unknown field and names it', () => {
    const result = validateRow(ImportRowDto, { fullName: 'Anna Testova', phone: '123' }, 2);
    expect(result).toEqual({
      error: { row: 2, code: 'validation_failed', message: expect.stringContaining('phone') },
    });
  });

  it('refuses a bad email', () => {
    const result = validateRow(
      ImportRowDto,
      { fullName: 'Anna Testova', email: 'not-an-email' },
      3,
    );
    expect(result).toEqual({
      error: { row: 3, code: 'validation_failed', message: expect.stringContaining('email') },
    });
  });

  it('refuses a missing or blank full name', () => {
    for (const raw of [{}, { fullName: '   ' }, { fullName: 42 }]) {
      const result = validateRow(ImportRowDto, raw, 4);
      expect(result).toEqual({
        error: { row: 4, code: 'validation_failed', message: expect.stringContaining('fullName') },
      });
    }
  });

  it('refuses a row that is not an object', () => {
    for (const raw of [null, 'Anna Testova', ['Anna Testova']]) {
      expect(validateRow(ImportRowDto, raw, 5)).toEqual({
        error: { row: 5, code: 'validation_failed', message: 'the row must be an object' },
      });
    }
  });
});
