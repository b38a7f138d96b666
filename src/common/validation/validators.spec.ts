import { plainToInstance } from 'class-transformer';
import { validateSync } from 'class-validator';
import { IsDateTime, IsFutureDate, IsString, Optional, parseDateTime } from './validators.js';

class Dates {
  @Optional()
  @IsDateTime({ as: 'date' })
  @IsFutureDate()
  closesAt?: Date;

  @Optional()
  @IsDateTime({ as: 'string' })
  from?: string;
}

class Names {
  @Optional()
  @IsString()
  name?: string;

  @Optional({ nullable: true })
  @IsString()
  nickname?: string | null;
}

const check = <T extends object>(type: new () => T, plain: object) => {
  const value = plainToInstance(type, plain);
  const messages = validateSync(value).flatMap((e) => Object.values(e.constraints ?? {}));
  return { value, messages };
};

describe('parseDateTime', () => {
  it.each([
    ['2030-01-31T18:00:00Z', '2030-01-31T18:00:00.000Z'],
    ['2030-01-31t18:00:00z', '2030-01-31T18:00:00.000Z'],
    ['2030-01-31T18:00:00.5+03:00', '2030-01-31T15:00:00.500Z'],
    ['2030-01-31T18:00:00.123456789-01:30', '2030-01-31T19:30:00.123Z'],
    ['2028-02-29T00:00:00Z', '2028-02-29T00:00:00.000Z'],
    ['2000-02-29T00:00:00Z', '2000-02-29T00:00:00.000Z'],
    ['0001-01-01T00:00:00Z', '0001-01-01T00:00:00.000Z'],
    ['0099-06-01T00:00:00Z', '0099-06-01T00:00:00.000Z'],
    ['9999-12-31T23:59:59.999Z', '9999-12-31T23:59:59.999Z'],
  ])('reads %s as %s', (text, iso) => {
    expect(parseDateTime(text)?.toISOString()).toBe(iso);
  });

  it.each([
    ['a year JavaScript takes', '+275760-09-13T00:00:00Z'],
    ['a day the month lacks', '2030-02-30T00:00:00Z'],
    ['29 February of a common year', '2029-02-29T00:00:00Z'],
    ['1900, not a leap year', '1900-02-29T00:00:00Z'],
    ['31 April', '2030-04-31T00:00:00Z'],
    ['a date alone', '2030-02-28'],
    ['no time zone', '2030-01-01T00:00:00'],
    ['no seconds', '2030-01-01T00:00Z'],
    ['hour 24', '2030-01-01T24:00:00Z'],
    ['a leap second', '2030-06-30T23:59:60Z'],
    ['month 13', '2030-13-01T00:00:00Z'],
    ['an offset past 23:59', '2030-01-01T00:00:00+24:00'],
    ['a space for T', '2030-01-01 00:00:00Z'],
    ['year 0', '0000-06-01T00:00:00Z'],
    ['past 9999 once offset', '9999-12-31T23:00:00-05:00'],
    ['before year 1 once offset', '0001-01-01T00:00:00+01:00'],
    ['words', 'next tuesday'],
    ['trailing text', '2030-01-01T00:00:00Zx'],
  ])('refuses %s (%s)', (_what, text) => {
    expect(parseDateTime(text)).toBeNull();
  });
});

describe('IsDateTime', () => {
  it('turns a good date-time into a Date, or into its ISO string', () => {
    const { value, messages } = check(Dates, {
      closesAt: ' 2031-05-01T12:30:00+02:00 ',
      from: '2020-01-01T00:00:00.25-01:00',
    });
    expect(messages).toEqual([]);
    expect(value.closesAt).toEqual(new Date('2031-05-01T10:30:00Z'));
    expect(value.from).toBe('2020-01-01T01:00:00.250Z');
  });

  it('refuses anything else once, with one message', () => {
    for (const closesAt of ['2030-02-30T00:00:00Z', '+275760-09-13T00:00:00Z', true, 0, {}, null]) {
      expect(check(Dates, { closesAt }).messages).toEqual([
        'closesAt must be an RFC 3339 date-time with a time zone, such as 2030-01-31T18:00:00Z',
      ]);
    }
    expect(check(Dates, { closesAt: '2001-01-01T00:00:00Z' }).messages).toEqual([
      'closesAt must be in the future',
    ]);
  });
});

describe('Optional', () => {
  it('skips a field that is left out, and refuses null unless the field is nullable', () => {
    expect(check(Names, {}).messages).toEqual([]);
    expect(check(Names, { nickname: null }).messages).toEqual([]);
    expect(check(Names, { name: null }).messages).toEqual(['name must be a string']);
    expect(check(Names, { nickname: 42 }).messages).toEqual(['nickname must be a string']);
  });
});
