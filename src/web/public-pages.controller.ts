import { Controller, Get, Param, Post, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { Public } from '../common/auth/auth.decorators.js';
import { DomainError } from '../common/errors/domain-error.js';
import { ERROR_STATUS } from '../common/errors/error-code.js';
import { InvitationsService } from '../invitations/invitations.service.js';
import { CountsService } from '../counts/counts.service.js';
import { PetitionStatus } from '../petitions/petition-status.js';
import { PetitionsService } from '../petitions/petitions.service.js';
import { SigningService } from '../signatures/signing.service.js';
import { FormTokens } from './form-token.js';
import { askedLanguage, field } from './request-fields.js';
import {
  chooseLanguage,
  isLanguage,
  type Language,
  otherLanguage,
  type Speech,
  speech,
} from './i18n/messages.js';
import { sendPage, withLanguage } from './page-response.js';
import { PageRoute } from './page-route.js';
import { PetitionPageService, publicCounts } from './petition-page.service.js';
import { readSignForm, validateSignForm } from './sign-form-fields.js';
import { HomePage } from './views/home.view.js';
import type { SignFormState } from './views/sign-form.js';
import { renderDocument } from './views/render.js';
import { SimplePage } from './views/simple-pages.js';

const HOME_PAGE_SIZE = 20;

const param = (request: FastifyRequest, name: string) => field(request.query, name);

function requestLanguage(request: FastifyRequest, fallback: string | null = null): Language {
  return askedLanguage(request) ?? chooseLanguage(undefined, undefined, fallback);
}

/**
 * The public pages: the list of open petitions, a petition with its sign form, and the page
 * after signing. They call the same services as the JSON API, never the API itself.
 */
@ApiExcludeController()
@Controller()
@Public()
export class PublicPagesController {
  constructor(
    private readonly petitions: PetitionsService,
    private readonly counts: CountsService,
    private readonly pages: PetitionPageService,
    private readonly signing: SigningService,
    private readonly formTokens: FormTokens,
    private readonly invitations: InvitationsService,
  ) {}

  @Get()
  @PageRoute()
  async home(@Req() request: FastifyRequest, @Res() reply: FastifyReply): Promise<void> {
    const s = speech(requestLanguage(request));
    const cursor = param(request, 'cursor');
    const page = await this.petitions.list({
      statuses: [PetitionStatus.Open],
      limit: HOME_PAGE_SIZE,
      cursor,
    });
    const counts = await this.counts.getMany(page.items.map((p) => p.id));
    const html = renderDocument(
      HomePage({
        s,
        items: page.items.map((p) => ({
          slug: p.slug,
          title: p.title,
          addressee: p.addressee,
          openedAt: p.openedAt,
          counts: publicCounts(counts.get(p.id)!.public),
        })),
        nextCursor: page.nextCursor,
        paged: cursor !== undefined,
        switchHref: withLanguage(request.url, otherLanguage(s.lang)),
      }),
    );
    sendPage(reply, html, { cache: 'no-cache' });
  }

  @Get('petitions/:slug')
  @PageRoute()
  async petition(
    @Param('slug') slug: string,
    @Req() request: FastifyRequest,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    // Without ?lang= or a language the browser prefers, the page speaks the petition's own.
    const lang = askedLanguage(request) ?? (await this.petitionLanguage(slug));
    const invitation = param(request, 'invitation');
    if (invitation !== undefined) {
      // A personal page, never cached: the sign form carries the invitation.
      const form = await this.invitedForm(slug, invitation, speech(lang));
      const token = this.formTokens.issue(signPurpose(slug), request.ip);
      const html = await this.pages.pageWithForm(slug, lang, token, form);
      sendPage(reply, html, { cache: 'private, no-store' });
      return;
    }
    const page = await this.pages.page(slug, lang, param(request, 'signers') ?? null);
    const html =
      page.after === null
        ? page.before
        : Buffer.concat([
            page.before,
            Buffer.from(this.formTokens.issue(signPurpose(slug), request.ip), 'latin1'),
            page.after,
          ]);
    sendPage(reply, html, { cache: 'private, no-cache' });
  }

  @Post('petitions/:slug/sign')
  @PageRoute({ form: true })
  async sign(
    @Param('slug') slug: string,
    @Req() request: FastifyRequest,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    const form = readSignForm(request.body);
    const lang = askedLanguage(request) ?? (await this.petitionLanguage(slug));
    const s = speech(lang);
    if (form.unknown.length > 0) {
      throw new DomainError('validation_failed', 'The form has fields it should not have');
    }
    const again = async (status: number, errors = form.state.errors, invited = true) => {
      const token = this.formTokens.issue(signPurpose(slug), request.ip);
      const invitation =
        invited && form.invitation !== undefined
          ? (await this.invitedForm(slug, form.invitation, s)).invitation
          : undefined;
      const html = await this.pages.pageWithForm(slug, lang, token, {
        ...form.state,
        errors,
        invitation,
      });
      sendPage(reply, html, { status });
    };
    // Nothing is written before the anti-forgery token and every field have been checked.
    if (this.formTokens.check(form.formToken, signPurpose(slug), request.ip) !== 'ok') {
      return again(403, [{ field: '', message: s.t.sign.formExpired }]);
    }
    const checked = await validateSignForm(form.state, s, form.invitation);
    if (checked.dto === null) return again(400, checked.errors);
    try {
      await this.signing.sign(slug, checked.dto, {
        ip: request.ip,
        userAgent: request.headers['user-agent'],
        // The mail speaks the language the signer read the page in.
        acceptLanguage: lang,
        principal: undefined,
      });
    } catch (error) {
      const problem = invitationProblem(error, s);
      if (problem === null) throw error;
      return again(problem.status, [{ field: '', message: problem.message }], false);
    }
    // Through an invitation there is no mail to confirm: the page says "received".
    const via = form.invitation !== undefined ? '&via=invitation' : '';
    void reply
      .status(303)
      .header('location', `/petitions/${slug}/signed?lang=${lang}${via}`)
      .send();
  }

  /** The same page for a first and a repeated signature: nothing tells who has signed. */
  @Get('petitions/:slug/signed')
  @PageRoute()
  async signed(
    @Param('slug') slug: string,
    @Req() request: FastifyRequest,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    const petition = await this.petitions.getVisible(slug, undefined);
    const s = speech(requestLanguage(request, petition.language));
    const { t } = s;
    const confirm = petition.requireEmailConfirmation && param(request, 'via') !== 'invitation';
    const html = renderDocument(
      SimplePage({
        s,
        title: confirm ? t.signed.confirmTitle : t.signed.receivedTitle,
        lines: [confirm ? t.signed.confirmText : t.signed.receivedText, t.signed.noMail],
        switchHref: withLanguage(request.url, otherLanguage(s.lang)),
        back: { href: `/petitions/${slug}?lang=${s.lang}`, text: t.signed.back(petition.title) },
      }),
    );
    sendPage(reply, html);
  }

  /**
   * The sign form for an invitation link: the invited person's name and district, or, when the
   * link cannot be used, the plain form with a message saying why.
   */
  private async invitedForm(slug: string, token: string, s: Speech): Promise<SignFormState> {
    try {
      const invited = await this.invitations.preview(slug, token);
      return { values: {}, errors: [], invitation: { token, ...invited } };
    } catch (error) {
      const problem = invitationProblem(error, s);
      if (problem === null) throw error;
      return { values: {}, errors: [{ field: '', message: problem.message }] };
    }
  }

  /** The petition's language, for a page asked for in none (English if there is no such petition). */
  private async petitionLanguage(slug: string): Promise<Language> {
    const language = await this.petitions.publicLanguage(slug);
    return isLanguage(language) ? language : 'en';
  }
}

/** What a sign form's token is for: signing this petition. */
function signPurpose(slug: string): string {
  return `sign:${slug}`;
}

/** An invitation that cannot be used, in the reader's words; null for any other error. */
function invitationProblem(error: unknown, s: Speech): { status: number; message: string } | null {
  if (!(error instanceof DomainError)) return null;
  const words = s.t.sign.invitation;
  const message =
    error.code === 'invalid_invitation'
      ? words.invalid
      : error.code === 'invitation_used'
        ? words.used
        : error.code === 'invitation_expired'
          ? words.expired
          : null;
  return message === null ? null : { status: ERROR_STATUS[error.code], message };
}
