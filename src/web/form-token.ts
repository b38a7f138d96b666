import { createHmac, hkdfSync, timingSafeEqual } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { AppConfig } from '../config/app-config.js';
import { sourceOf } from '../common/net/source-address.js';

/** How long a sign form stays good: long enough to read a long letter, short enough to expire. */
export const FORM_TOKEN_TTL_SECONDS = 6 * 3600;
const MAC_BYTES = 16;
const CLOCK_SKEW_SECONDS = 60;

export type FormTokenCheck = 'ok' | 'missing' | 'invalid' | 'expired';

/**
 * Anti-forgery tokens for forms that signers post without any session or cookie. A token is the
 * time it was issued and an HMAC of that time, the form's purpose (which petition), and the
 * source that fetched the page (IPv4 address or IPv6 /64). Another site cannot forge one: it
 * cannot compute the HMAC, and a token it fetches for itself names its own source, so a browser
 * elsewhere cannot be made to post it. A signer whose address changed in the meantime gets the
 * form again, values kept, with a fresh token.
 */
@Injectable()
export class FormTokens {
  private readonly key: Buffer;

  constructor(config: AppConfig) {
    this.key = Buffer.from(
      hkdfSync(
        'sha256',
        config.dataEncryptionKey,
        Buffer.alloc(0),
        'countersign/form-token/v1',
        32,
      ),
    );
  }

  issue(purpose: string, ip: string, now = Date.now()): string {
    const issued = Math.floor(now / 1000).toString(36);
    return `${issued}.${this.mac(purpose, sourceOf(ip), issued).toString('base64url')}`;
  }

  check(token: unknown, purpose: string, ip: string, now = Date.now()): FormTokenCheck {
    if (typeof token !== 'string' || token === '') return 'missing';
    const match = /^([0-9a-z]{1,10})\.([A-Za-z0-9_-]{22})$/.exec(token);
    if (!match) return 'invalid';
    const [, issued, mac] = match;
    const expected = this.mac(purpose, sourceOf(ip), issued);
    if (!timingSafeEqual(Buffer.from(mac, 'base64url'), expected)) return 'invalid';
    const age = Math.floor(now / 1000) - parseInt(issued, 36);
    if (age < -CLOCK_SKEW_SECONDS || age > FORM_TOKEN_TTL_SECONDS) return 'expired';
    return 'ok';
  }

  private mac(purpose: string, source: string, issued: string): Buffer {
    return createHmac('sha256', this.key)
      .update(`${purpose}\0${source}\0${issued}`)
      .digest()
      .subarray(0, MAC_BYTES);
  }
}
