import { Injectable, Logger, type OnApplicationShutdown } from '@nestjs/common';
import nodemailer, { type Transporter } from 'nodemailer';
import { AppConfig } from '../config/app-config.js';

export interface OutgoingMail {
  to: string;
  subject: string;
  text: string;
}

const SMTP_CONNECTIONS = 5;

/** An SMTP answer in the 5xx range: the server refuses this mail for good, retrying won't help. */
export function isPermanentMailFailure(error: unknown): boolean {
  const code = (error as { responseCode?: unknown } | null | undefined)?.responseCode;
  return typeof code === 'number' && code >= 500 && code < 600;
}

/** `anna@example.org` → `a***@example.org`: enough to tell mails apart in a development log. */
export function maskAddress(address: string): string {
  const at = address.lastIndexOf('@');
  if (at < 0) return '***';
  return `${address.slice(0, Math.min(1, at))}***${address.slice(at)}`;
}

/**
 * Sends mail through SMTP_URL with nodemailer. In development without SMTP_URL it writes the
 * mail to the log instead, links included, so the flow can be followed without a mail server;
 * the recipient is masked even then. Production refuses to start without SMTP_URL.
 */
@Injectable()
export class MailerService implements OnApplicationShutdown {
  private readonly logger = new Logger(MailerService.name);
  private readonly transport: Transporter | null;

  constructor(private readonly config: AppConfig) {
    // Pooled: a few connections, each carrying many mails, rather than a connection per mail
    // (a mail worker sends a batch side by side). Parameters in SMTP_URL override these.
    this.transport = config.smtpUrl
      ? nodemailer.createTransport(
          { url: config.smtpUrl, pool: true, maxConnections: SMTP_CONNECTIONS },
          { from: config.mailFrom },
        )
      : null;
  }

  async send(mail: OutgoingMail): Promise<void> {
    if (!this.transport) {
      this.logger.log({
        msg: 'mail not sent: SMTP_URL is not set, so here it is',
        to: maskAddress(mail.to),
        subject: mail.subject,
        text: mail.text,
      });
      return;
    }
    await this.transport.sendMail({ to: mail.to, subject: mail.subject, text: mail.text });
  }

  onApplicationShutdown(): void {
    this.transport?.close();
  }
}
