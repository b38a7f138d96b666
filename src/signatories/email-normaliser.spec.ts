import { normaliseEmail } from './email-normaliser.js';

describe('normaliseEmail', () => {
  it.each([
    ['Anna.Petrova+letter@GMail.com', 'annapetrova@gmail.com'],
    ['anna.petrova@googlemail.com', 'annapetrova@gmail.com'],
    ['  someone@Example.ORG ', 'someone@example.org'],
    ['first.last+tag@example.org', 'first.last+tag@example.org'],
    ['ivan.ivanov@yandex.ru', 'ivan-ivanov@yandex.ru'],
    ['ivan-ivanov+x@ya.ru', 'ivan-ivanov@yandex.ru'],
    ['user+news@outlook.com', 'user@outlook.com'],
    ['User@Proton.me', 'user@proton.me'],
  ])('%s is the mailbox %s', (raw, canonical) => {
    expect(normaliseEmail(raw).canonical).toBe(canonical);
  });

  it('keeps the address as given for sending, domain lower-cased', () => {
    expect(normaliseEmail(' Anna.Petrova+letter@GMail.com ')).toEqual({
      address: 'Anna.Petrova+letter@gmail.com',
      canonical: 'annapetrova@gmail.com',
      domain: 'gmail.com',
    });
  });

  it('refuses what is not an address', () => {
    for (const raw of ['nobody', '@example.org', 'x@']) expect(() => normaliseEmail(raw)).toThrow();
  });
});
