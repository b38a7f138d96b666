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
