import { transliterate } from 'transliteration';

/**
 * Made-up deputies of two made-up towns. Names are combined from common first names and
 * surnames, so they look plausible and belong to no one in particular.
 */
const FIRST = [
  ['Анна', 'f'],
  ['Борис', 'm'],
  ['Вера', 'f'],
  ['Глеб', 'm'],
  ['Дарья', 'f'],
  ['Егор', 'm'],
  ['Жанна', 'f'],
  ['Захар', 'm'],
  ['Инна', 'f'],
  ['Кирилл', 'm'],
  ['Лидия', 'f'],
  ['Матвей', 'm'],
] as const;
const SURNAME = [
  ['Полевой', 'Полевая'],
  ['Озёрный', 'Озёрная'],
  ['Лесной', 'Лесная'],
  ['Садовый', 'Садовая'],
  ['Речной', 'Речная'],
  ['Горный', 'Горная'],
  ['Луговой', 'Луговая'],
  ['Степной', 'Степная'],
  ['Ключевой', 'Ключевая'],
  ['Береговой', 'Береговая'],
] as const;

export const TOWNS = ['Североград', 'Южногорск'] as const;

export interface Deputy {
  fullName: string;
  district: string;
  /** The same name as someone might type it in Latin letters, surname first. */
  latinSurnameFirst: string;
}

export function deputies(count: number): Deputy[] {
  const out: Deputy[] = [];
  for (let i = 0; out.length < count; i++) {
    const [first, sex] = FIRST[i % FIRST.length];
    const [male, female] = SURNAME[Math.floor(i / FIRST.length) % SURNAME.length];
    const surname = sex === 'f' ? female : male;
    const town = TOWNS[i % 2];
    const fullName = `${first} ${surname}`;
    out.push({
      fullName,
      district: `${town}, округ ${(i % 15) + 1}`,
      latinSurnameFirst: transliterate(`${surname} ${first}`.replace(/ё/g, 'е')),
    });
  }
  return out;
}
