import { Injectable } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { ErrorBody } from '../common/errors/error-code.js';
import type { ErrorPages } from '../common/errors/error-pages.js';
import { chooseLanguage, otherLanguage, type Speech, speech } from './i18n/messages.js';
import { sendPage, withLanguage } from './page-response.js';
import { isPageRoute } from './page-route.js';
import { renderDocument } from './views/render.js';
import { SimplePage } from './views/simple-pages.js';

/** Paths that belong to the JSON API and tools: their errors stay JSON whatever the caller accepts. */
const NOT_PAGES = /^\/(v1|docs|docs-json|health|metrics|admin)(\/|$|\?)/;

/**
 * Errors on pages are pages: the same words as the API's messages, in the reader's language, and
 * never a stack trace. Unknown addresses outside the API get a page too when a browser asks.
 */
@Injectable()
export class PageErrors implements ErrorPages {
  wants(request: FastifyRequest): boolean {
    if (isPageRoute(request.routeOptions?.config)) return true;
    const accept = request.headers.accept ?? '';
    return (
      request.routeOptions?.url === undefined &&
      !NOT_PAGES.test(request.url) &&
      accept.includes('text/html')
    );
  }

  send(request: FastifyRequest, reply: FastifyReply, body: ErrorBody): void {
    if (body.code === 'unauthorized' && request.url.startsWith('/console')) {
      // Not signed in (or the session ended): the console's answer is its sign-in page.
      void reply.status(303).header('location', '/console/sign-in').send();
      return;
    }
    const query = request.query as Record<string, unknown> | undefined;
    const form = request.body as Record<string, unknown> | undefined;
    const lang = chooseLanguage(
      query?.lang ?? form?.lang,
      request.headers['accept-language'],
      null,
    );
    const s = speech(lang);
    const { title, lines } = this.words(s, body);
    const headers: Record<string, string> = {};
    const retryAfter = reply.getHeader('retry-after');
    if (body.statusCode === 429 && retryAfter !== undefined)
      headers['retry-after'] = String(retryAfter);
    const html = renderDocument(
      SimplePage({
        s,
        title,
        lines,
        switchHref: withLanguage(request.url, otherLanguage(lang)),
        back: { href: `/?lang=${lang}`, text: s.t.errors.back },
      }),
    );
    sendPage(reply, html, { status: body.statusCode, headers });
  }

  private words(s: Speech, body: ErrorBody): { title: string; lines: string[] } {
    const e = s.t.errors;
    switch (body.code) {
      case 'not_found':
      case 'unauthorized':
        return { title: e.notFound.title, lines: [e.notFound.text] };
      case 'forbidden':
        return { title: e.forbidden.title, lines: [s.t.console.formExpired] };
      case 'invalid_token':
        return { title: e.invalidToken.title, lines: [e.invalidToken.text] };
      case 'token_expired':
        return { title: e.tokenExpired.title, lines: [e.tokenExpired.text] };
      case 'petition_not_open':
        return { title: e.petitionNotOpen.title, lines: [e.petitionNotOpen.text] };
      case 'claimed_by_other':
      case 'already_decided':
        return { title: e.conflict.title, lines: [e.conflict.text] };
      case 'second_moderator_required':
        return { title: e.secondModerator.title, lines: [e.secondModerator.text] };
      case 'invalid_transition':
        return { title: e.cannotWithdraw.title, lines: [e.cannotWithdraw.text] };
      case 'rate_limited': {
        const seconds = retryAfterSeconds(body);
        const wait =
          seconds >= 60 ? s.t.time.minutes(Math.ceil(seconds / 60)) : s.t.time.seconds(seconds);
        return { title: e.rateLimited.title, lines: [e.rateLimited.text(wait)] };
      }
      case 'service_unavailable':
        return { title: e.unavailable.title, lines: [e.unavailable.text] };
      case 'internal_error':
        return { title: e.internal.title, lines: [e.internal.text(body.requestId ?? '')] };
      default:
        return { title: e.badRequest.title, lines: [e.badRequest.text] };
    }
  }
}

function retryAfterSeconds(body: ErrorBody): number {
  const detail = body.details.find(
    (d): d is { retryAfterSeconds: number } =>
      typeof (d as { retryAfterSeconds?: unknown }).retryAfterSeconds === 'number',
  );
  return Math.max(1, detail?.retryAfterSeconds ?? 60);
}
