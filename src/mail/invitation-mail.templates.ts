/**
 * The register invitation mail, in English or Russian: a personal link to sign. The link stands
 * alone on its line; it opens the petition page, where signing is still a button to press.
 */
export function invitationMail(
  language: string,
  { fullName, petitionTitle, url }: { fullName: string; petitionTitle: string; url: string },
): { subject: string; text: string } {
  if (language === 'ru') {
    return {
      subject: `Приглашение подписать: ${petitionTitle}`,
      text: [
        `Здравствуйте, ${fullName}!`,
        '',
        `Вы есть в списке тех, кто может подписать петицию «${petitionTitle}». Вот ваша личная ссылка:`,
        url,
        '',
        'Подпись по ней не требует подтверждения по почте. Ссылка работает один раз и перестаёт действовать, когда петиция закрывается. Не пересылайте её: по ней можно подписать от вашего имени.',
        '',
        'Если вы не хотите подписывать, просто проигнорируйте это письмо.',
      ].join('\n'),
    };
  }
  return {
    subject: `Invitation to sign: ${petitionTitle}`,
    text: [
      `Hello ${fullName},`,
      '',
      `You are on the list of people entitled to sign the petition “${petitionTitle}”. This is your personal link:`,
      url,
      '',
      'Signing through it needs no confirmation mail. It works once, and stops working when the petition closes. Do not forward it: anyone with it can sign in your name.',
      '',
      'If you do not wish to sign, ignore this mail.',
    ].join('\n'),
  };
}
