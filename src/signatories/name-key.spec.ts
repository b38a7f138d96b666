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

  it.each([
    ['Александр Кузнецов', ['Aleksandr Kuznetsov', 'Alexandr Kuznecov', 'KUZNETSOV Aleksandr']],
    ['Алексей Фёдоров', ['Aleksey Fyodorov', 'Alexei Fedorov', 'Aleksej Fiodorov']],
    ['Юрий Щукин', ['Yuri Shchukin', 'Yuriy Schukin', 'Iurii Shchukin', 'Jurij Stschukin']],
    ['Наталья Жукова', ['Natalya Zhukova', 'Natalia Zhukova', 'Natalja Zukova']],
    ['Евгений Хабибуллин', ['Evgeniy Khabibullin', 'Evgenii Habibulin', 'Yevgeny Khabibullin']],
    ['Татьяна Григорьева', ['Tatyana Grigoryeva', 'Tatiana Grigorieva', 'Tatjana Grigoreva']],
    ['Андрей Яковлев', ['Andrey Yakovlev', 'Andrei Iakovlev', 'Andrej Jakowlew']],
    ['Мария Иванова', ['Maria Ivanova', 'Mariya Ivanova', 'Marija Ivanova']],
    ['Юлия Петрова', ['Yulia Petrova', 'Yuliya Petrova', 'Iulia Petrova', 'Julija Petrova']],
    ['Дарья Смирнова', ['Daria Smirnova', 'Darya Smirnova', 'Darja Smirnova']],
    ['Елена Васильева', ['Elena Vasilieva', 'Yelena Vasilyeva', 'Elena Vasileva']],
  ])('matches %s in the common romanisations', (cyrillic, latin) => {
    for (const spelling of latin) expect(nameKey(spelling)).toBe(nameKey(cyrillic));
  });

  it.each([
    ['Анна Петрова', 'Яна Петрова'],
    ['Дарья Ли', 'Дара Ли'],
    ['Лиана Ким', 'Лана Ким'],
    ['Юлия Петрова', 'Улия Петрова'],
  ])('keeps %s and %s apart', (a, b) => {
    expect(nameKey(a)).not.toBe(nameKey(b));
  });

  it('keeps different people apart', () => {
    expect(nameKey('Анна Смирнова')).not.toBe(nameKey('Анна Смирнов'));
    expect(nameKey('Jane Doe')).not.toBe(nameKey('John Doe'));
  });

  it('is empty for a name with no letters or digits', () => {
    expect(nameKey(' -- ')).toBe('');
  });
});
