import { Controller, Get, HttpCode, Post, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { ConsoleSessionsService } from '../../accounts/console-sessions.service.js';
import { SIGN_IN_LINK_MINUTES } from '../../accounts/sign-in-data.js';
import { SignInLinksService } from '../../accounts/sign-in-links.service.js';
import { Public } from '../../common/auth/auth.decorators.js';
import { DomainError } from '../../common/errors/domain-error.js';
import { AppConfig } from '../../config/app-config.js';
import { FormTokens } from '../form-token.js';
import { type Speech, speech } from '../i18n/messages.js';
import { sendPage } from '../page-response.js';
import { PageRoute } from '../page-route.js';
import { renderDocument } from '../views/render.js';
import { SimplePage } from '../views/simple-pages.js';
import {
  Caller,
  type ConsoleCaller,
  ConsolePage,
  clearSessionCookie,
  SESSION_COOKIE,
  setSessionCookie,
} from './console-auth.js';
import { consoleLanguage, consoleSwitchHref, field } from './request-helpers.js';
import { ConsoleHomePage } from './views/console-home.view.js';
import { SignInLinkPage, SignInPage } from './views/sign-in.view.js';

const SIGN_IN_PURPOSE = 'console:sign-in';
const LINK_PURPOSE = 'console:sign-in-link';
const TOKEN = /^[A-Za-z0-9_-]{16,200}$/;
/** The answer to a link request takes at least this long, whether or not a mail goes out. */
const SIGN_IN_MIN_MS = 150;
const EMAIL = /^[^\s@]{1,64}@[^\s@]{1,253}\.[^\s@]{2,63}$/;

/**
 * Console sign-in by a mailed one-time link, and sign-out. The link request answers the same
 * whether or not the address has an account, and takes the same time. The link opens a page with
 * a button; pressing it starts a session, whose id goes in an HttpOnly cookie.
 */
@ApiExcludeController()
@Controller('console')
@Public()
export class ConsoleSessionController {
  constructor(
    private readonly links: SignInLinksService,
    private readonly sessions: ConsoleSessionsService,
    private readonly formTokens: FormTokens,
    private readonly config: AppConfig,
  ) {}

  @Get('sign-in')
  @PageRoute()
  signInPage(@Req() request: FastifyRequest, @Res() reply: FastifyReply): void {
    const s = speech(consoleLanguage(request));
    const notice = field(request.query, 'signedOut') ? s.t.console.signIn.signedOut : undefined;
    this.signInForm(request, reply, s, 200, '', [], notice);
  }

  @Post('sign-in')
  @HttpCode(200)
  @PageRoute({ form: true })
  async signIn(@Req() request: FastifyRequest, @Res() reply: FastifyReply): Promise<void> {
    const started = performance.now();
    const s = speech(consoleLanguage(request));
    const email = (field(request.body, 'email') ?? '').trim();
    if (
      this.formTokens.check(field(request.body, 'formToken'), SIGN_IN_PURPOSE, request.ip) !== 'ok'
    ) {
      return this.signInForm(request, reply, s, 403, email, [
        { field: '', message: s.t.sign.formExpired },
      ]);
    }
    const label = s.t.console.signIn.email;
    if (email === '') {
      return this.signInForm(request, reply, s, 400, email, [
        { field: 'email', message: s.t.validation.required(label) },
      ]);
    }
    if (!EMAIL.test(email) || email.length > 254) {
      return this.signInForm(request, reply, s, 400, email, [
        { field: 'email', message: s.t.validation.email(label) },
      ]);
    }
    await this.links.request(email, request.ip, s.lang);
    const wait = started + SIGN_IN_MIN_MS - performance.now();
    if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
    const t = s.t.console.signIn;
    sendPage(
      reply,
      renderDocument(
        SimplePage({
          s,
          title: t.sentTitle,
          lines: [t.sent(SIGN_IN_LINK_MINUTES)],
          switchHref: consoleSwitchHref(request, s.lang),
        }),
      ),
    );
  }

  @Get('sign-in/link')
  @PageRoute()
  linkPage(@Req() request: FastifyRequest, @Res() reply: FastifyReply): void {
    const s = speech(consoleLanguage(request));
    const token = field(request.query, 'token');
    if (!token || !TOKEN.test(token))
      throw new DomainError('invalid_token', 'This sign-in link is not valid');
    sendPage(
      reply,
      renderDocument(
        SignInLinkPage({
          s,
          token,
          formToken: this.formTokens.issue(LINK_PURPOSE, request.ip),
          switchHref: consoleSwitchHref(request, s.lang),
        }),
      ),
    );
  }

  /** Uses the link and starts a session. The form token stops a site signing a visitor in as someone else. */
  @Post('sign-in/link')
  @PageRoute({ form: true })
  async useLink(@Req() request: FastifyRequest, @Res() reply: FastifyReply): Promise<void> {
    const s = speech(consoleLanguage(request));
    const token = field(request.body, 'token');
    if (!token || !TOKEN.test(token))
      throw new DomainError('invalid_token', 'This sign-in link is not valid');
    if (
      this.formTokens.check(field(request.body, 'formToken'), LINK_PURPOSE, request.ip) !== 'ok'
    ) {
      throw new DomainError('forbidden', 'The form’s anti-forgery token is missing or not valid');
    }
    const accountId = await this.links.use(token);
    const session = await this.sessions.start(accountId);
    setSessionCookie(reply, this.config, session.id, session.expiresAt);
    void reply.status(303).header('location', `/console?lang=${s.lang}`).send();
  }

  @Post('sign-out')
  @PageRoute({ form: true })
  @ConsolePage()
  async signOut(@Req() request: FastifyRequest, @Res() reply: FastifyReply): Promise<void> {
    const s = speech(consoleLanguage(request));
    await this.sessions.end(request.cookies[SESSION_COOKIE]!);
    clearSessionCookie(reply, this.config);
    void reply.status(303).header('location', `/console/sign-in?signedOut=1&lang=${s.lang}`).send();
  }

  @Get()
  @PageRoute()
  @ConsolePage()
  home(
    @Req() request: FastifyRequest,
    @Res() reply: FastifyReply,
    @Caller() caller: ConsoleCaller,
  ): void {
    const s = speech(consoleLanguage(request));
    sendPage(
      reply,
      renderDocument(
        ConsoleHomePage({ s, caller, switchHref: consoleSwitchHref(request, s.lang) }),
      ),
    );
  }

  private signInForm(
    request: FastifyRequest,
    reply: FastifyReply,
    s: Speech,
    status: number,
    email: string,
    errors: Array<{ field: string; message: string }>,
    notice?: string,
  ): void {
    const html = renderDocument(
      SignInPage({
        s,
        email,
        errors,
        notice,
        formToken: this.formTokens.issue(SIGN_IN_PURPOSE, request.ip),
        switchHref: consoleSwitchHref(request, s.lang),
      }),
    );
    sendPage(reply, html, { status });
  }
}
