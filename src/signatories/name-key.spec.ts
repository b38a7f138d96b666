import { nameKey } from './name-key.js';

describe('nameKey', () => {
  it('folds case, spacing, hyphens, ё and name order', () => {
    const key = nameKey('Пётр Иванов-Сидоров');
    expect(nameKey('  ИВАНОВ-СИДОРОВ   Петр ')).toBe(key);
    expect(nameKey('Сидоров Иванов Пётр')).toBe(key);
  });

  it('matches a Latin spelling of a Cyrillic name', () => {
    expect(nameKey('Petr Ivanov')).toBe(nameKey('Иванов Пётр'));
    expect(nameKey('Anna Smirnova')).toBe(nameKey('Смирнова Анна'));
  });

  it('keeps different people apart', () => {
    expect(nameKey('Анна Смирнова')).not.toBe(nameKey('Анна Смирнов'));
    expect(nameKey('Jane Doe')).not.toBe(nameKey('John Doe'));
  });

  it('is empty for a name with no letters or digits', () => {
    expect(nameKey(' -- ')).toBe('');
  });
});
