import { Controller, Get, Param, Post, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { AccountRole } from '../../../accounts/account-role.js';
import { Public } from '../../../common/auth/auth.decorators.js';
import { DomainError } from '../../../common/errors/domain-error.js';
import { AppConfig } from '../../../config/app-config.js';
import { ClaimDto, SignatureDecisionDto } from '../../../moderation/dto/review-queue.dto.js';
import { ReviewQueueService } from '../../../moderation/review-queue.service.js';
import { SignatureHistoryService } from '../../../moderation/signature-history.service.js';
import { type Speech, speech } from '../../i18n/messages.js';
import { sendPage } from '../../page-response.js';
import { PageRoute } from '../../page-route.js';
import { renderDocument } from '../../views/render.js';
import { Caller, type ConsoleCaller, ConsolePage } from '../console-auth.js';
import { consoleLanguage, consoleSwitchHref } from '../request-helpers.js';
import { ConsoleNames } from './console-names.js';
import { checkDto, fieldErrors, given, seeOther, text, UUID } from './form-checks.js';
import {
  type Decision,
  type DecisionFormState,
  ReviewPage,
  type ReviewPageModel,
} from './views/review.view.js';

/** Notices the review page shows after a redirect, by the code in its address. */
const NOTICES = [
  'claimed',
  'claimedNone',
  'verified',
  'rejected',
  'released',
  'releasedAll',
  'claimed_by_other',
  'already_decided',
] as const;
type NoticeCode = (typeof NOTICES)[number];

type PageState = Pick<
  ReviewPageModel,
  'petitionId' | 'notice' | 'noticeAbout' | 'form' | 'claimForm'
>;

/**
 * The moderators' review queue as pages: claim a batch, decide each claimed signature with a
 * reason code (or release it), and the next comes up. Every action is a form that posts here and
 * is answered with a redirect back to the queue (Post/Redirect/Get), through the same service as
 * the API, so claims, leases and the 409s are the API's.
 */
@ApiExcludeController()
@Controller('console/review')
@Public()
@ConsolePage(AccountRole.Moderator)
export class ReviewPagesController {
  constructor(
    private readonly queue: ReviewQueueService,
    private readonly history: SignatureHistoryService,
    private readonly names: ConsoleNames,
    private readonly config: AppConfig,
  ) {}

  @Get()
  @PageRoute()
  async page(
    @Req() request: FastifyRequest,
    @Res() reply: FastifyReply,
    @Caller() caller: ConsoleCaller,
  ): Promise<void> {
    const s = speech(consoleLanguage(request));
    const query = request.query;
    const code = text(query, 'notice');
    const last = text(query, 'last');
    await this.render(request, reply, s, caller, 200, {
      petitionId: petitionFilter(query),
      notice: noticeText(s, code, Number(text(query, 'n') ?? 0)),
      noticeAbout: last && UUID.test(last) ? last : undefined,
    });
  }

  @Post('claim')
  @PageRoute({ form: true })
  async claim(
    @Req() request: FastifyRequest,
    @Res() reply: FastifyReply,
    @Caller() caller: ConsoleCaller,
  ): Promise<void> {
    const s = speech(consoleLanguage(request));
    const body = request.body;
    const petitionId = given(body, 'petitionId');
    const limit = text(body, 'limit') ?? '';
    const { dto, issues } = await checkDto(ClaimDto, { petitionId, limit });
    if (issues.length > 0) {
      const r = s.t.consoleModeration.review;
      const errors = fieldErrors(s, issues, [
        { field: 'limit', label: r.limit },
        { field: 'petitionId', id: 'petitionId', label: r.filterLegend },
      ]);
      return this.render(request, reply, s, caller, 400, {
        petitionId: petitionFilter(body),
        claimForm: { limit, errors },
      });
    }
    const claimed = await this.queue.claim(caller.principal, dto.petitionId, dto.limit);
    const n = claimed.items.length;
    seeOther(reply, '/console/review', s.lang, {
      petitionId: dto.petitionId,
      notice: n > 0 ? 'claimed' : 'claimedNone',
      n: String(n),
    });
  }

  @Post('release-all')
  @PageRoute({ form: true })
  async releaseAll(
    @Req() request: FastifyRequest,
    @Res() reply: FastifyReply,
    @Caller() caller: ConsoleCaller,
  ): Promise<void> {
    const s = speech(consoleLanguage(request));
    const petitionId = petitionFilter(request.body);
    const claims = await this.queue.claimsOf(caller.principal, petitionId);
    for (const claim of claims) await this.queue.release(caller.principal, claim.signatureId);
    seeOther(reply, '/console/review', s.lang, {
      petitionId,
      notice: 'releasedAll',
      n: String(claims.length),
    });
  }

  @Post(':id/decision')
  @PageRoute({ form: true })
  async decide(
    @Req() request: FastifyRequest,
    @Res() reply: FastifyReply,
    @Caller() caller: ConsoleCaller,
    @Param('id') id: string,
  ): Promise<void> {
    const s = speech(consoleLanguage(request));
    const t = s.t.consoleModeration;
    if (!UUID.test(id)) throw DomainError.notFound('Signature');
    const body = request.body;
    const petitionId = petitionFilter(body);
    const decision = text(body, 'decision');
    if (decision !== 'verify' && decision !== 'reject') {
      throw new DomainError('validation_failed', 'decision must be "verify" or "reject"');
    }
    const form: DecisionFormState = {
      signatureId: id,
      decision,
      reasonCode: text(body, 'reasonCode') ?? '',
      note: text(body, 'note') ?? '',
      errors: [],
    };
    const { dto, issues } = await checkDto(SignatureDecisionDto, {
      decision,
      reasonCode: form.reasonCode,
      note: given(body, 'note'),
    });
    if (issues.length > 0) {
      form.errors = fieldErrors(s, issues, [
        {
          field: 'reasonCode',
          id: `${decision}-reasonCode`,
          label: t.reason,
          required: t.validation.chooseReason,
          special: t.validation.reasonNotFit(decisionLabel(s, decision)),
        },
        { field: 'note', id: `${decision}-note`, label: t.note },
      ]);
      return this.render(request, reply, s, caller, 400, { petitionId, form });
    }
    try {
      const status = await this.queue.decide(caller.principal, id, dto);
      seeOther(reply, '/console/review', s.lang, {
        petitionId,
        notice: status === 'verified' ? 'verified' : 'rejected',
        last: id,
      });
    } catch (error) {
      if (!(error instanceof DomainError)) throw error;
      if (error.code === 'validation_failed') {
        // The service's own rule: the reason code must fit the decision.
        form.errors = [
          {
            field: `${decision}-reasonCode`,
            message: t.validation.reasonNotFit(decisionLabel(s, decision)),
          },
        ];
        return this.render(request, reply, s, caller, 400, { petitionId, form });
      }
      if (error.code === 'claimed_by_other' || error.code === 'already_decided') {
        return seeOther(reply, '/console/review', s.lang, {
          petitionId,
          notice: error.code,
          last: id,
        });
      }
      throw error;
    }
  }

  @Post(':id/release')
  @PageRoute({ form: true })
  async release(
    @Req() request: FastifyRequest,
    @Res() reply: FastifyReply,
    @Caller() caller: ConsoleCaller,
    @Param('id') id: string,
  ): Promise<void> {
    const s = speech(consoleLanguage(request));
    if (!UUID.test(id)) throw DomainError.notFound('Signature');
    const petitionId = petitionFilter(request.body);
    let notice: NoticeCode = 'released';
    try {
      await this.queue.release(caller.principal, id);
    } catch (error) {
      if (!(error instanceof DomainError) || error.code !== 'claimed_by_other') throw error;
      notice = 'claimed_by_other';
    }
    seeOther(reply, '/console/review', s.lang, { petitionId, notice, last: id });
  }

  private async render(
    request: FastifyRequest,
    reply: FastifyReply,
    s: Speech,
    caller: ConsoleCaller,
    status: number,
    state: PageState,
  ): Promise<void> {
    const [queue, claims] = await Promise.all([
      this.queue.waitingByPetition(),
      this.queue.claimsOf(caller.principal, state.petitionId),
    ]);
    const current =
      claims.find((c) => c.signatureId === state.form?.signatureId) ?? claims[0] ?? null;
    const events = current ? await this.history.events(current.signatureId) : [];
    const [names, petitionTitles] = await Promise.all([
      this.names.accountNames(events.map((e) => e.actorId)),
      this.names.petitionTitles([
        ...claims.map((c) => c.petitionId),
        ...(state.petitionId ? [state.petitionId] : []),
      ]),
    ]);
    const model: ReviewPageModel = {
      ...state,
      // A form about a signature no longer held has nothing to be shown beside.
      form: current && state.form?.signatureId === current.signatureId ? state.form : undefined,
      queue,
      claims,
      current,
      events,
      names,
      petitionTitles,
      leaseMinutes: Math.max(1, Math.round(this.config.claimLeaseSeconds / 60)),
    };
    const html = renderDocument(
      ReviewPage({ s, caller, switchHref: consoleSwitchHref(request, s.lang), model }),
    );
    sendPage(reply, html, { status });
  }
}

/** The petition the queue is narrowed to, when the address or the form names one. */
function petitionFilter(source: unknown): string | undefined {
  const id = given(source, 'petitionId');
  return id && UUID.test(id) ? id.toLowerCase() : undefined;
}

function decisionLabel(s: Speech, decision: Decision): string {
  const r = s.t.consoleModeration.review;
  return decision === 'verify' ? r.verifyButton : r.rejectButton;
}

function noticeText(s: Speech, code: string | undefined, n: number): string | undefined {
  if (!code || !(NOTICES as readonly string[]).includes(code)) return undefined;
  const notices = s.t.consoleModeration.review.notices;
  const count = Number.isInteger(n) && n >= 0 ? n : 0;
  switch (code as NoticeCode) {
    case 'claimed':
      return notices.claimed(s.f, count);
    case 'releasedAll':
      return notices.releasedAll(s.f, count);
    default:
      return notices[code as Exclude<NoticeCode, 'claimed' | 'releasedAll'>];
  }
}
