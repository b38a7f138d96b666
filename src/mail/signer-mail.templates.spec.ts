import { MailLanguage } from '../petitions/petition-status.js';
import { importReceiptMail, type SignerMailInput, signerMail } from './signer-mail.templates.js';

const input = (confirm: boolean): SignerMailInput => ({
  petitionTitle: 'More benches in Example Park',
  confirm,
  confirmUrl: 'https://petitions.example.test/signatures/confirm?token=tok-123',
  withdrawUrl: 'https://petitions.example.test/signatures/withdraw?token=tok-123',
  expiresAt: new Date('2030-05-06T07:08:09Z'),
});

describe('signerMail', () => {
  const languages = [MailLanguage.En, MailLanguage.Ru];

  it.each(languages)('in %s asks for confirmation with both links on their own lines', (lang) => {
    const mail = signerMail(lang, input(true));
    const lines = mail.text.split('\n');
    expect(lines).toContain(input(true).confirmUrl);
    expect(lines).toContain(input(true).withdrawUrl);
    expect(mail.text).toContain('2030-05-06');
    expect(mail.subject).toContain('More benches in Example Park');
  });

  it.each(languages)('in %s sends a receipt with only the withdraw link', (lang) => {
    const mail = signerMail(lang, input(false));
    const lines = mail.text.split('\n');
    expect(lines).toContain(input(false).withdrawUrl);
    expect(lines).not.toContain(input(false).confirmUrl);
    expect(mail.text).not.toContain('confirm?token');
  });

  it('words the subject per language and per kind of mail', () => {
    const subjects = [
      signerMail(MailLanguage.En, input(true)).subject,
      signerMail(MailLanguage.Ru, input(true)).subject,
      signerMail(MailLanguage.En, input(false)).subject,
      signerMail(MailLanguage.Ru, input(false)).subject,
    ];
    expect(new Set(subjects).size).toBe(4);
  });

  it('writes the Russian mail in Cyrillic and the English one without', () => {
    const cyrillic = /[\u0400-\u04FF]/u;
    const ru = signerMail(MailLanguage.Ru, input(true));
    expect(ru.subject).toMatch(cyrillic);
    expect(ru.text).toMatch(/Здравствуйте/u);
    const en = signerMail(MailLanguage.En, input(true));
    expect(en.subject).not.toMatch(cyrillic);
    expect(en.text).not.toMatch(cyrillic);
  });
});

describe('importReceiptMail', () => {
  const receipt = {
    petitionTitle: 'More benches in Example Park',
    withdrawUrl: 'https://petitions.example.test/signatures/withdraw?token=tok-456',
  };

  it.each([MailLanguage.En, MailLanguage.Ru])(
    'in %s says the organiser added it and gives only the withdraw link, on its own line',
    (lang) => {
      const mail = importReceiptMail(lang, receipt);
      expect(mail.text.split('\n')).toContain(receipt.withdrawUrl);
      expect(mail.text).not.toContain('confirm?token');
      expect(mail.subject).toContain(receipt.petitionTitle);
      expect(mail.text).toMatch(lang === MailLanguage.Ru ? /Организатор/u : /organiser/);
    },
  );

  it('differs from the receipt of a signature made online', () => {
    const online = signerMail(MailLanguage.En, {
      ...receipt,
      confirm: false,
      confirmUrl: '',
      expiresAt: null,
    });
    expect(importReceiptMail(MailLanguage.En, receipt).subject).not.toBe(online.subject);
    expect(importReceiptMail(MailLanguage.Ru, receipt).subject).toMatch(/от вашего имени/u);
  });
});
