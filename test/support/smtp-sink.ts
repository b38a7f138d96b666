import { simpleParser } from 'mailparser';
import { SMTPServer } from 'smtp-server';

export interface CaughtMail {
  to: string[];
  from: string;
  subject: string;
  text: string;
}

/**
 * A real SMTP server on a free local port that keeps every mail it receives, so the e2e specs
 * test the app's actual SMTP delivery. `rejectRecipients` answers 550 for matching addresses;
 * `failNext` answers 451 (temporary) to the next n mails.
 */
export class SmtpSink {
  readonly mails: CaughtMail[] = [];
  rejectRecipients: RegExp | null = null;
  /** Answers 450 ("greylisted", quoting the address as real servers do) for matching addresses. */
  deferRecipients: RegExp | null = null;
  failNext = 0;
  private server!: SMTPServer;
  port = 0;

  async start(): Promise<this> {
    this.server = new SMTPServer({
      authOptional: true,
      disabledCommands: ['STARTTLS', 'AUTH'],
      logger: false,
      onRcptTo: (address, _session, callback) => {
        if (this.deferRecipients?.test(address.address)) {
          const error = Object.assign(
            new Error(`<${address.address}>: Recipient address rejected: Greylisted`),
            { responseCode: 450 },
          );
          return callback(error);
        }
        if (this.rejectRecipients?.test(address.address)) {
          const error = Object.assign(new Error('mailbox unavailable'), { responseCode: 550 });
          return callback(error);
        }
        callback();
      },
      onData: (stream, session, callback) => {
        if (this.failNext > 0) {
          this.failNext--;
          stream.resume();
          const error = Object.assign(new Error('try again later'), { responseCode: 451 });
          stream.on('end', () => callback(error));
          return;
        }
        simpleParser(stream)
          .then((parsed) => {
            this.mails.push({
              to: session.envelope.rcptTo.map((r) => r.address),
              from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
              subject: parsed.subject ?? '',
              text: parsed.text ?? '',
            });
            callback();
          })
          .catch((error: Error) => callback(error));
      },
    });
    await new Promise<void>((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(0, '127.0.0.1', () => resolve());
    });
    const address = this.server.server.address();
    this.port = typeof address === 'object' && address ? address.port : 0;
    return this;
  }

  get url(): string {
    return `smtp://127.0.0.1:${this.port}`;
  }

  mailsTo(address: string): CaughtMail[] {
    return this.mails.filter((mail) => mail.to.includes(address));
  }

  async stop(): Promise<void> {
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}

/** The token in a mail's confirm (or withdraw) link line. */
export function tokenFrom(mail: CaughtMail, kind: 'confirm' | 'withdraw' = 'confirm'): string {
  const line = mail.text
    .split('\n')
    .map((l) => l.trim())
    .find((l) => l.includes(`/signatures/${kind}?token=`));
  if (!line) throw new Error(`no ${kind} link in the mail`);
  return new URL(line).searchParams.get('token')!;
}
