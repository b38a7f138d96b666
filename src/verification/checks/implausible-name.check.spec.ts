import { CheckOutcome } from '../check.js';
import { judgeName } from './implausible-name.check.js';

describe('judgeName', () => {
  it.each(['Anna Testova', 'Анна Тестова-Петрова', "Jean-Luc O'Brien", 'Ёлкина Мария'])(
    'passes the plain name %j',
    (name) => {
      expect(judgeName(name)).toEqual({
        outcome: CheckOutcome.Pass,
        detail: expect.any(String),
        risk: 0,
      });
    },
  );

  it.each([
    'https://spam.example',
    'http://anna.test',
    'www.anna-testova',
    'Anna buy-now.com',
    'Анна Тестова site.ru',
  ])('fails the web address %j as fake_name', (name) => {
    const result = judgeName(name);
    expect(result.outcome).toBe(CheckOutcome.Fail);
    expect(result.reasonCode).toBe('fake_name');
    expect(result.risk).toBe(100);
  });

  it.each(['=HYPERLINK("x")', '+Anna', '-Anna', '@Anna', '\tAnna', '\rAnna'])(
    'fails the formula-like start %j',
    (name) => {
      const result = judgeName(name);
      expect(result.outcome).toBe(CheckOutcome.Fail);
      expect(result.reasonCode).toBe('fake_name');
    },
  );

  it.each([
    '<b>Anna</b>',
    'Anna {Testova}',
    'Anna [x]',
    'Anna|Testova',
    'Anna\\Testova',
    'Anna $x',
    'Anna^2x',
  ])('fails the markup character in %j', (name) => {
    const result = judgeName(name);
    expect(result.outcome).toBe(CheckOutcome.Fail);
    expect(result.reasonCode).toBe('fake_name');
  });

  it('sends a name with digits to review', () => {
    const result = judgeName('Ivan 2 Testov');
    expect(result.outcome).toBe(CheckOutcome.Review);
    expect(result.risk).toBeGreaterThan(0);
    expect(result.reasonCode).toBeUndefined();
  });

  it('sends a run of one letter to review, in any case, but not a short double letter', () => {
    expect(judgeName('aaaaaaa').outcome).toBe(CheckOutcome.Review);
    expect(judgeName('Anna Tesssssstova').outcome).toBe(CheckOutcome.Review);
    expect(judgeName('AaAaA Testova').outcome).toBe(CheckOutcome.Review);
    expect(judgeName('Anna Mikkeloo').outcome).toBe(CheckOutcome.Pass);
  });

  it.each(['', '   ', '12345', '.-!?', '!!!'])('fails %j, which has no letters', (name) => {
    const result = judgeName(name);
    expect(result.outcome).toBe(CheckOutcome.Fail);
    expect(result.reasonCode).toBe('fake_name');
  });
});
