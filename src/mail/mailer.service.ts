import { Injectable, Logger, type OnApplicationShutdown } from '@nestjs/common';
import nodemailer, { type Transporter } from 'nodemailer';
import { RateLimits } from '../common/rate-limit/rate-limits.js';
import { AppConfig } from '../config/app-config.js';
import { normaliseEmail } from '../signatories/email-normaliser.js';

export interface OutgoingMail {
  to: string;
  subject: string;
  text: string;
}

const SMTP_CONNECTIONS = 5;

/**
 * What MAIL_LIMIT_PER_ADDRESS counts a mail against: its mailbox, the address normalised as
 * signatures compare them (so `a.nna+x@gmail.com` and `anna@gmail.com` share one budget).
 */
export function mailBudgetKey(address: string): string {
  try {
    return normaliseEmail(address).canonical;
  } catch {
    return address.trim().toLowerCase();
  }
}

/**
 * The server refused this mail for good: a 5xx answer to its envelope or its content. Not a 503
 * (bad sequence of commands: the state of a reused connection, not the mail) and not a failed
 * login (the service's own configuration): retrying those can work, and dropping the mail cannot
 * be undone.
 */
export function isPermanentMailFailure(error: unknown): boolean {
  const { responseCode: code, code: kind } = (error ?? {}) as {
    responseCode?: unknown;
    code?: unknown;
  };
  return typeof code === 'number' && code >= 500 && code < 600 && code !== 503 && kind !== 'EAUTH';
}

/** `anna@example.org` → `a***@example.org`: enough to tell mails apart in a development log. */
export function maskAddress(address: string): string {
  const at = address.lastIndexOf('@');
  if (at < 0) return '***';
  return `${address.slice(0, Math.min(1, at))}***${address.slice(at)}`;
}

/** The lines of a mail's text that are links (the templates put each link on a line of its own). */
export function linksIn(text: string): string[] {
  return text
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => /^https?:\/\/\S+$/.test(line));
}

/**
 * Control characters (but newline and tab) as U+FFFD: a mail's text holds the petition's title,
 * which its organiser wrote, and a terminal would run escape sequences in it.
 */
function printable(text: string): string {
  // eslint-disable-next-line no-control-regex
  return text.replace(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/g, '\ufffd');
}

/**
 * A mail as a developer reads it in the terminal: plain lines, so that each link stands alone on
 * its line (to click, copy or grep), the recipient masked as in the log.
 */
export function unsentMailBlock(mail: OutgoingMail): string {
  return [
    '----- mail not sent (SMTP_URL is not set) -----',
    `To: ${maskAddress(mail.to)}`,
    `Subject: ${printable(mail.subject)}`,
    '',
    printable(mail.text),
    '----- end of mail -----',
    '',
  ].join('\n');
}

const INFO_LEVELS = new Set(['info', 'debug', 'trace']);

/**
 * Sends mail through SMTP_URL with nodemailer. Production refuses to start without SMTP_URL.
 * Without it, development shows each mail instead, so the flow can be followed without a mail
 * server: one log line with its links, and the mail itself as plain lines on stdout (pino's JSON
 * would put the text on one line with escaped newlines). The recipient is masked even then. In
 * any other mode (tests) only the masked recipient and the subject are logged: the links carry
 * the signer's token.
 */
@Injectable()
export class MailerService implements OnApplicationShutdown {
  private readonly logger = new Logger(MailerService.name);
  private readonly transport: Transporter | null;

  constructor(
    private readonly config: AppConfig,
    private readonly limits: RateLimits,
  ) {
    // Pooled: a few connections, each carrying many mails, rather than a connection per mail
    // (a mail worker sends a batch side by side). Parameters in SMTP_URL override these.
    this.transport = config.smtpUrl
      ? nodemailer.createTransport(
          {
            url: config.smtpUrl,
            pool: true,
            maxConnections: SMTP_CONNECTIONS,
            // A mail server that stops answering fails the send (retried later) within a minute,
            // rather than holding a mail job for nodemailer's default ten minutes.
            socketTimeout: 60_000,
          },
          { from: config.mailFrom },
        )
      : null;
  }

  private readonly sending = new Set<Promise<unknown>>();

  /**
   * Sends one mail, or drops it (`'dropped'`, nothing sent) when its address has had its share
   * for now (MAIL_LIMIT_PER_ADDRESS, mails of every kind counted together): no one can flood a
   * mailbox by signing, or asking for links, with someone else's address. The caller settles a
   * dropped mail as it would a sent one, and says nothing to anybody. A mail that fails to go
   * out does not count.
   */
  async send(mail: OutgoingMail): Promise<'sent' | 'dropped'> {
    const budget = mailBudgetKey(mail.to);
    if (!(await this.limits.allow('mailPerAddress', budget))) {
      this.logger.debug('mail dropped: its address has had its share of mail for now');
      return 'dropped';
    }
    try {
      await this.deliver(mail);
    } catch (error) {
      await this.limits.refund('mailPerAddress', budget);
      throw error;
    }
    return 'sent';
  }

  private async deliver(mail: OutgoingMail): Promise<void> {
    if (!this.transport) {
      this.showUnsent(mail);
      return;
    }
    const sending = this.transport.sendMail({
      to: mail.to,
      subject: mail.subject,
      text: mail.text,
    });
    this.sending.add(sending);
    try {
      await sending;
    } finally {
      this.sending.delete(sending);
    }
  }

  private showUnsent(mail: OutgoingMail): void {
    const to = maskAddress(mail.to);
    if (this.config.nodeEnv !== 'development') {
      this.logger.log({ msg: 'mail not sent: SMTP_URL is not set', to, subject: mail.subject });
      return;
    }
    this.logger.log({
      msg: 'mail not sent: SMTP_URL is not set (its text is printed as plain lines)',
      to,
      subject: mail.subject,
      links: linksIn(mail.text),
    });
    // Only where the log line shows too: a quieter LOG_LEVEL (the benchmark's) prints no mails.
    if (INFO_LEVELS.has(this.config.logLevel)) process.stdout.write(unsentMailBlock(mail));
  }

  /** Lets the mails on their way finish (closing the pool would fail them), then closes it. */
  async onApplicationShutdown(): Promise<void> {
    while (this.sending.size > 0) await Promise.allSettled([...this.sending]);
    this.transport?.close();
  }
}

/**
 * What went wrong, without the SMTP server's own words: its replies often quote the recipient's
 * address, and BullMQ keeps a failed job's message and stack in Redis.
 */
export function describeMailFailure(error: unknown): string {
  const { code, responseCode, command } = (error ?? {}) as {
    code?: unknown;
    responseCode?: unknown;
    command?: unknown;
  };
  const parts = [
    typeof code === 'string' ? `code ${code}` : null,
    typeof responseCode === 'number' ? `SMTP ${responseCode}` : null,
    typeof command === 'string' ? `during ${command.split(' ')[0]}` : null,
  ].filter((part) => part !== null);
  return `mail delivery failed${parts.length > 0 ? ` (${parts.join(', ')})` : ''}`;
}
