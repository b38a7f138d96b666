import { Controller, Get, HttpCode, Post, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { Public } from '../common/auth/auth.decorators.js';
import { DomainError } from '../common/errors/domain-error.js';
import { LimitBySource } from '../common/rate-limit/limit-by-source.js';
import { SignatureStatus } from '../signatures/signature-status.js';
import {
  type SignerSignature,
  SignerActionsService,
} from '../signatures/signer-actions.service.js';
import { chooseLanguage, otherLanguage, type Speech, speech } from './i18n/messages.js';
import { sendPage, withLanguage } from './page-response.js';
import { PageRoute } from './page-route.js';
import { renderDocument } from './views/render.js';
import { SignerActionPage, SignerStatusPage } from './views/signer.view.js';

type Action = 'confirm' | 'withdraw';
/** What a signer token looks like (see common/crypto/token.ts); anything else names nothing. */
const TOKEN = /^[A-Za-z0-9_-]{16,200}$/;

/**
 * The pages the links in a signer's mail open: confirm, withdraw, and the signature's state.
 * A GET changes nothing (mail scanners prefetch links); a button posts the token. The pages
 * speak the signer's language, name the petition, and say what actually happened.
 */
@ApiExcludeController()
@Controller('signatures')
@Public()
// The same limit as the API's signer calls: a page is another way to try a token.
@LimitBySource('signerToken')
export class SignerPagesController {
  constructor(private readonly actions: SignerActionsService) {}

  @Get('confirm')
  @PageRoute()
  async confirmPage(@Req() request: FastifyRequest, @Res() reply: FastifyReply): Promise<void> {
    const { token, signature, s } = await this.read(request);
    if (signature.confirmationLapsed) throw tokenExpired();
    if (!signature.confirmable) {
      if (!signature.petition.open && signature.status === SignatureStatus.Unconfirmed)
        throw notOpen();
      return this.status(reply, request, s, token, signature, s.t.signer.nothingChanged);
    }
    this.action(reply, request, s, token, signature, 'confirm');
  }

  @Post('confirm')
  @HttpCode(200)
  @PageRoute({ form: true })
  async confirm(@Req() request: FastifyRequest, @Res() reply: FastifyReply): Promise<void> {
    const { token, signature: before, s } = await this.read(request);
    const after = await this.actions.confirm(token);
    const changed =
      before.status === SignatureStatus.Unconfirmed && after === SignatureStatus.Pending;
    const signature = await this.actions.describe(token);
    const note = changed ? s.t.signer.confirmedNow : s.t.signer.nothingChanged;
    this.status(reply, request, s, token, signature, note);
  }

  @Get('withdraw')
  @PageRoute()
  async withdrawPage(@Req() request: FastifyRequest, @Res() reply: FastifyReply): Promise<void> {
    const { token, signature, s } = await this.read(request);
    if (signature.withdrawable) return this.action(reply, request, s, token, signature, 'withdraw');
    if (signature.status === SignatureStatus.Withdrawn)
      return this.status(reply, request, s, token, signature, s.t.signer.nothingChanged);
    if (!signature.petition.open) throw notOpen();
    throw new DomainError('invalid_transition', `The signature is ${signature.status}`);
  }

  @Post('withdraw')
  @HttpCode(200)
  @PageRoute({ form: true })
  async withdraw(@Req() request: FastifyRequest, @Res() reply: FastifyReply): Promise<void> {
    const { token, signature: before, s } = await this.read(request);
    await this.actions.withdraw(token);
    const signature = await this.actions.describe(token);
    const changed = before.status !== SignatureStatus.Withdrawn;
    const note = changed ? s.t.signer.withdrawnNow : s.t.signer.nothingChanged;
    this.status(reply, request, s, token, signature, note);
  }

  @Get('status')
  @PageRoute()
  async statusPage(@Req() request: FastifyRequest, @Res() reply: FastifyReply): Promise<void> {
    const { token, signature, s } = await this.read(request);
    this.status(reply, request, s, token, signature, null);
  }

  /** The token (from the address or the posted form) and its signature, or a 404 page. */
  private async read(
    request: FastifyRequest,
  ): Promise<{ token: string; signature: SignerSignature; s: Speech }> {
    const query = request.query as Record<string, unknown>;
    const body = (request.body ?? {}) as Record<string, unknown>;
    const token = typeof body.token === 'string' ? body.token : query.token;
    if (typeof token !== 'string' || !TOKEN.test(token)) {
      throw new DomainError('invalid_token', 'The token is unknown');
    }
    const signature = await this.actions.describe(token);
    const lang = chooseLanguage(
      body.lang ?? query.lang,
      request.headers['accept-language'],
      signature.language,
    );
    return { token, signature, s: speech(lang) };
  }

  private action(
    reply: FastifyReply,
    request: FastifyRequest,
    s: Speech,
    token: string,
    signature: SignerSignature,
    action: Action,
  ): void {
    sendPage(
      reply,
      renderDocument(
        SignerActionPage({ s, token, signature, action, switchHref: switchHref(request, s) }),
      ),
    );
  }

  private status(
    reply: FastifyReply,
    request: FastifyRequest,
    s: Speech,
    token: string,
    signature: SignerSignature,
    note: string | null,
  ): void {
    sendPage(
      reply,
      renderDocument(
        SignerStatusPage({ s, token, signature, note, switchHref: switchHref(request, s) }),
      ),
    );
  }
}

/** This page in the other language; after a POST, the state page (a GET that changes nothing). */
function switchHref(request: FastifyRequest, s: Speech): string {
  const other = otherLanguage(s.lang);
  if (request.method === 'GET') return withLanguage(request.url, other);
  const token = String((request.body as Record<string, unknown>).token);
  return `/signatures/status?${new URLSearchParams({ token, lang: other })}`;
}

function tokenExpired(): DomainError {
  return new DomainError('token_expired', 'The time to confirm this signature has passed');
}

function notOpen(): DomainError {
  return new DomainError('petition_not_open', 'The petition is not open');
}
