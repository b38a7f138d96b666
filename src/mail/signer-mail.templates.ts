import { MailLanguage } from '../petitions/petition-status.js';

/**
 * The signer's name is not in the mail: it is whatever the sender typed, unchecked when the mail
 * goes out, and would let anyone send 200 characters of their own text to any address.
 */
export interface SignerMailInput {
  petitionTitle: string;
  /** Confirmation needed: the mail asks for it; otherwise it is a receipt. */
  confirm: boolean;
  confirmUrl: string;
  withdrawUrl: string;
  expiresAt: Date | null;
}

/**
 * The mail a signer gets after signing, in English and Russian. It holds the contract's two link
 * lines, each alone on its line so that any mail client makes it clickable. The links open pages
 * that confirm or withdraw with a POST, so a mail scanner prefetching them changes nothing.
 */
export function signerMail(
  language: MailLanguage,
  input: SignerMailInput,
): { subject: string; text: string } {
  const expires = input.expiresAt?.toISOString().slice(0, 10) ?? '';
  if (language === MailLanguage.Ru) {
    return {
      subject: input.confirm
        ? `Подтвердите подпись: ${input.petitionTitle}`
        : `Ваша подпись получена: ${input.petitionTitle}`,
      text: [
        'Здравствуйте!',
        '',
        `Вы подписали «${input.petitionTitle}».`,
        ...(input.confirm
          ? ['', `Чтобы подпись была засчитана, подтвердите её до ${expires}:`, input.confirmUrl]
          : []),
        '',
        'Если вы передумаете, подпись можно отозвать, пока петиция открыта:',
        input.withdrawUrl,
        '',
        'Если вы не подписывали эту петицию, просто проигнорируйте это письмо.',
        'Никому не пересылайте его: ссылки в нём действуют от вашего имени.',
      ].join('\n'),
    };
  }
  return {
    subject: input.confirm
      ? `Please confirm your signature: ${input.petitionTitle}`
      : `Your signature was received: ${input.petitionTitle}`,
    text: [
      'Hello,',
      '',
      `You signed "${input.petitionTitle}".`,
      ...(input.confirm
        ? ['', `To have your signature counted, confirm it by ${expires}:`, input.confirmUrl]
        : []),
      '',
      'If you change your mind, you can withdraw your signature while the petition is open:',
      input.withdrawUrl,
      '',
      'If you did not sign this petition, ignore this mail.',
      'Do not forward it: its links act in your name.',
    ].join('\n'),
  };
}

export interface ImportReceiptInput {
  petitionTitle: string;
  withdrawUrl: string;
}

/**
 * The receipt for an imported signature: its organiser added it under this address from
 * signatures received elsewhere, so the address's owner may not have signed at all. It holds the
 * withdraw link only (an import needs no confirmation), alone on its line.
 */
export function importReceiptMail(
  language: MailLanguage,
  input: ImportReceiptInput,
): { subject: string; text: string } {
  if (language === MailLanguage.Ru) {
    return {
      subject: `Подпись добавлена от вашего имени: ${input.petitionTitle}`,
      text: [
        'Здравствуйте!',
        '',
        `Организатор петиции «${input.petitionTitle}» добавил подпись с этим адресом электронной почты`,
        'из подписей, собранных не на сайте (на бумаге, письмами).',
        '',
        'Если подписывали вы, ничего делать не нужно.',
        'Если вы не подписывали или передумали, отзовите подпись, пока петиция открыта:',
        input.withdrawUrl,
        '',
        'Никому не пересылайте это письмо: ссылка в нём действует от вашего имени.',
      ].join('\n'),
    };
  }
  return {
    subject: `A signature was added in your name: ${input.petitionTitle}`,
    text: [
      'Hello,',
      '',
      `The organiser of "${input.petitionTitle}" added a signature under this email address,`,
      'from signatures they received outside this site (on paper or by letter).',
      '',
      'If it was you who signed, there is nothing to do.',
      'If you did not sign, or have changed your mind, withdraw it while the petition is open:',
      input.withdrawUrl,
      '',
      'Do not forward this mail: its link acts in your name.',
    ].join('\n'),
  };
}
