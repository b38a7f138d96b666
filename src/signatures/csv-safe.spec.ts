import { formulaSafe } from './csv-safe.js';

describe('formulaSafe', () => {
  it('turns null into an empty cell', () => {
    expect(formulaSafe(null)).toBe('');
  });

  it.each(['=SUM(A1)', '+1', '-1', '@x', '\tx', '\rx'])(
    'prefixes %j with an apostrophe',
    (value) => {
      expect(formulaSafe(value)).toBe(`'${value}`);
    },
  );

  it('leaves ordinary values alone, including formula characters later on', () => {
    expect(formulaSafe('Anna')).toBe('Anna');
    expect(formulaSafe('Anna-Maria = +1')).toBe('Anna-Maria = +1');
    expect(formulaSafe('')).toBe('');
  });
});
