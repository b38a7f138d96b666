import { Injectable, Logger, type OnApplicationShutdown } from '@nestjs/common';
import nodemailer, { type Transporter } from 'nodemailer';
import { AppConfig } from '../config/app-config.js';

export interface OutgoingMail {
  to: string;
  subject: string;
  text: string;
}

const SMTP_CONNECTIONS = 5;

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

  /** Lets the mails on their way finish (closing the pool would fail them), then closes it. */
  async onApplicationShutdown(): Promise<void> {
    while (this.sending.size > 0) await Promise.allSettled([...this.sending]);
    this.transport?.close();
  }
}
