/**
 * The console sign-in mail, in English or Russian. The link stands alone on its line, so any
 * mail client makes it clickable; it opens a page with a button, so a scanner that follows it
 * signs no one in.
 */
export function signInMail(
  language: string,
  url: string,
  expiresAt: Date,
): { subject: string; text: string } {
  const until = `${expiresAt.toISOString().slice(11, 16)} UTC`;
  if (language === 'ru') {
    return {
      subject: 'Вход в консоль Countersign',
      text: [
        'Здравствуйте!',
        '',
        `Чтобы войти в консоль Countersign, откройте ссылку до ${until}. Она работает один раз:`,
        url,
        '',
        'Если вы не просили о входе, просто проигнорируйте это письмо.',
      ].join('\n'),
    };
  }
  return {
    subject: 'Sign in to the Countersign console',
    text: [
      'Hello,',
      '',
      `To sign in to the Countersign console, open this link by ${until}. It works once:`,
      url,
      '',
      'If you did not ask to sign in, ignore this mail.',
    ].join('\n'),
  };
}
