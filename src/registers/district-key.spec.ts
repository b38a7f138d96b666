import { districtKey } from './district-key.js';

describe('districtKey', () => {
  it('folds case, ё, punctuation, № and Cyrillic or Latin spelling', () => {
    expect(districtKey('Округ №7')).toBe(districtKey('okrug 7'));
    expect(districtKey('  Центральный   район ')).toBe(districtKey('центральный район'));
  });

  it.each([
    ['Семёновский', ['Semenovsky', 'Semyonovsky', 'Semenovskiy', 'Semenovskii', 'Semenovskij']],
    ['Семёновская', ['Semenovskaya', 'Semyonovskaja', 'Semenovskaia']],
    ['Октябрьский', ['Oktyabrsky', "Oktyabr'skiy", 'Oktiabrskii', 'Октябрский']],
    ['Хамовники', ['Khamovniki', 'Hamovniki']],
    ['Тверской округ 4', ['Tverskoy okrug 4', 'Tverskoi okrug 4']],
  ])('matches %s in the common romanisations', (cyrillic, latin) => {
    for (const spelling of latin) expect(districtKey(spelling)).toBe(districtKey(cyrillic));
  });

  it('keeps numbers and different districts apart', () => {
    expect(districtKey('Округ 11')).not.toBe(districtKey('Округ 1'));
    expect(districtKey('Семёновский')).not.toBe(districtKey('Семёновская'));
    expect(districtKey('Северный')).not.toBe(districtKey('Южный'));
  });

  it('is null for nothing, or nothing but punctuation', () => {
    expect(districtKey(null)).toBeNull();
    expect(districtKey(undefined)).toBeNull();
    expect(districtKey(' — ')).toBeNull();
  });
});
