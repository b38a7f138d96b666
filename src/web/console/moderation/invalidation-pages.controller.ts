import { Controller, Get, Param, Post, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { AccountRole } from '../../../accounts/account-role.js';
import { Public } from '../../../common/auth/auth.decorators.js';
import { DomainError } from '../../../common/errors/domain-error.js';
import { AppConfig } from '../../../config/app-config.js';
import type {
  CreateInvalidationDto,
  InvalidationCriteriaDto,
  InvalidationResponse,
} from '../../../moderation/dto/invalidation.dto.js';
import { InvalidationsService } from '../../../moderation/invalidations.service.js';
import { PetitionStatus } from '../../../petitions/petition-status.js';
import { PetitionsService } from '../../../petitions/petitions.service.js';
import { type Speech, speech } from '../../i18n/messages.js';
import { sendPage } from '../../page-response.js';
import { PageRoute } from '../../page-route.js';
import type { PageFieldError } from '../../views/form-parts.js';
import { renderDocument } from '../../views/render.js';
import { Caller, type ConsoleCaller, ConsolePage } from '../console-auth.js';
import { consoleLanguage, consoleSwitchHref } from '../request-helpers.js';
import { ConsoleNames } from './console-names.js';
import { seeOther, text, UUID } from './form-checks.js';
import {
  CRITERIA_FIELDS,
  emptyInvalidationForm,
  formFrom,
  type InvalidationFormValues,
  readInvalidationForm,
  validateInvalidationForm,
} from './invalidation-form.js';
import { InvalidationPage, InvalidationsPage, type Lookups } from './views/invalidations.view.js';
import { ProblemPage } from './views/parts.js';

const NOTICES = ['requested', 'approved', 'cancelled'] as const;
/** Statuses that show which signatures the criteria match now. */
const SAMPLED = new Set(['preview', 'awaiting_approval', 'running']);
const SAMPLE_SIZE = 20;

/**
 * Bulk invalidation as pages, on InvalidationsService and its rules: criteria → a preview (the
 * API's dry run, with a sample of what it matches) → the request, which runs at once or, above
 * INVALIDATION_APPROVAL_THRESHOLD, waits for a second moderator; approving, cancelling, progress.
 */
@ApiExcludeController()
@Controller('console/invalidations')
@Public()
@ConsolePage(AccountRole.Moderator)
export class InvalidationPagesController {
  constructor(
    private readonly invalidations: InvalidationsService,
    private readonly petitions: PetitionsService,
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
    const from = text(request.query, 'from');
    let form = emptyInvalidationForm(text(request.query, 'petitionId') ?? '');
    if (from && UUID.test(from)) form = formFrom(await this.invalidations.get(from));
    await this.list(request, reply, s, caller, 200, form, []);
  }

  @Post('preview')
  @PageRoute({ form: true })
  async preview(
    @Req() request: FastifyRequest,
    @Res() reply: FastifyReply,
    @Caller() caller: ConsoleCaller,
  ): Promise<void> {
    const s = speech(consoleLanguage(request));
    const form = readInvalidationForm(request.body);
    const { dto, errors } = await validateInvalidationForm(form, s);
    if (errors.length > 0) return this.list(request, reply, s, caller, 400, form, errors);
    try {
      const preview = await this.invalidations.create(caller.principal, dto);
      seeOther(reply, `/console/invalidations/${preview.id}`, s.lang);
    } catch (error) {
      const problem = serviceProblem(s, error);
      if (!problem) throw error;
      await this.list(request, reply, s, caller, 400, form, [problem]);
    }
  }

  @Get(':id')
  @PageRoute()
  async item(
    @Req() request: FastifyRequest,
    @Res() reply: FastifyReply,
    @Caller() caller: ConsoleCaller,
    @Param('id') id: string,
  ): Promise<void> {
    const s = speech(consoleLanguage(request));
    const invalidation = await this.invalidations.get(checkId(id));
    const sample = SAMPLED.has(invalidation.status)
      ? await this.invalidations.sample(invalidation.id, SAMPLE_SIZE)
      : null;
    const code = text(request.query, 'notice');
    const notices = s.t.consoleModeration.invalidations.notices;
    const html = renderDocument(
      InvalidationPage({
        s,
        caller,
        switchHref: consoleSwitchHref(request, s.lang),
        threshold: this.config.invalidationApprovalThreshold,
        changedAlone:
          invalidation.status === 'preview'
            ? await this.invalidations.changedAlone(caller.principal.id, invalidation.petitionId)
            : 0,
        invalidation,
        sample,
        lookups: await this.lookups([invalidation]),
        notice: (NOTICES as readonly string[]).includes(code ?? '')
          ? notices[code as (typeof NOTICES)[number]]
          : undefined,
      }),
    );
    sendPage(reply, html);
  }

  /** Requests what a preview previewed: the same criteria, reason and note, counted again now. */
  @Post(':id/request')
  @PageRoute({ form: true })
  async request(
    @Req() request: FastifyRequest,
    @Res() reply: FastifyReply,
    @Caller() caller: ConsoleCaller,
    @Param('id') id: string,
  ): Promise<void> {
    const s = speech(consoleLanguage(request));
    const preview = await this.invalidations.get(checkId(id));
    if (preview.status !== 'preview') return this.notNow(request, reply, s, caller, preview);
    const created = await this.invalidations.create(caller.principal, requestOf(preview));
    seeOther(reply, `/console/invalidations/${created.id}`, s.lang, { notice: 'requested' });
  }

  @Post(':id/approve')
  @PageRoute({ form: true })
  async approve(
    @Req() request: FastifyRequest,
    @Res() reply: FastifyReply,
    @Caller() caller: ConsoleCaller,
    @Param('id') id: string,
  ): Promise<void> {
    const s = speech(consoleLanguage(request));
    try {
      await this.invalidations.approve(caller.principal, checkId(id));
      seeOther(reply, `/console/invalidations/${id}`, s.lang, { notice: 'approved' });
    } catch (error) {
      if (!(error instanceof DomainError)) throw error;
      if (error.code === 'second_moderator_required') {
        const p = s.t.consoleModeration.invalidations.problems;
        return this.problem(request, reply, s, caller, 403, id, {
          title: p.secondModeratorTitle,
          text: p.secondModeratorText,
        });
      }
      if (error.code === 'invalid_transition') {
        return this.notNow(request, reply, s, caller, await this.invalidations.get(id));
      }
      throw error;
    }
  }

  @Post(':id/cancel')
  @PageRoute({ form: true })
  async cancel(
    @Req() request: FastifyRequest,
    @Res() reply: FastifyReply,
    @Caller() caller: ConsoleCaller,
    @Param('id') id: string,
  ): Promise<void> {
    const s = speech(consoleLanguage(request));
    try {
      await this.invalidations.cancel(checkId(id));
      seeOther(reply, `/console/invalidations/${id}`, s.lang, { notice: 'cancelled' });
    } catch (error) {
      if (!(error instanceof DomainError) || error.code !== 'invalid_transition') throw error;
      return this.notNow(request, reply, s, caller, await this.invalidations.get(id));
    }
  }

  private async list(
    request: FastifyRequest,
    reply: FastifyReply,
    s: Speech,
    caller: ConsoleCaller,
    status: number,
    form: InvalidationFormValues,
    errors: PageFieldError[],
  ): Promise<void> {
    const [awaiting, recent, petitions] = await Promise.all([
      this.invalidations.list({ statuses: ['awaiting_approval'], limit: 50 }),
      this.invalidations.list({
        statuses: ['running', 'completed', 'cancelled'],
        limit: 20,
      }),
      this.petitions.list({ statuses: [PetitionStatus.Open, PetitionStatus.Closed], limit: 100 }),
    ]);
    const options: Array<[string, string]> = petitions.items.map((p) => [p.id, p.title]);
    const html = renderDocument(
      InvalidationsPage({
        s,
        caller,
        switchHref: consoleSwitchHref(request, s.lang),
        threshold: this.config.invalidationApprovalThreshold,
        awaiting: awaiting.items,
        recent: recent.items,
        lookups: await this.lookups([...awaiting.items, ...recent.items]),
        petitions: options,
        form,
        errors,
      }),
    );
    sendPage(reply, html, { status });
  }

  private async lookups(items: InvalidationResponse[]): Promise<Lookups> {
    const [accounts, petitions] = await Promise.all([
      this.names.accountNames(items.flatMap((i) => [i.requestedBy, i.approvedBy])),
      this.names.petitionTitles(items.map((i) => i.petitionId)),
    ]);
    return { accounts, petitions };
  }

  /** 409: the invalidation has moved on (completed, cancelled, or no longer a preview). */
  private notNow(
    request: FastifyRequest,
    reply: FastifyReply,
    s: Speech,
    caller: ConsoleCaller,
    invalidation: InvalidationResponse,
  ): void {
    const i = s.t.consoleModeration.invalidations;
    const status = i.statusNames[invalidation.status] ?? invalidation.status;
    this.problem(request, reply, s, caller, 409, invalidation.id, {
      title: i.problems.notNowTitle,
      text: i.problems.notNowText(status),
    });
  }

  private problem(
    request: FastifyRequest,
    reply: FastifyReply,
    s: Speech,
    caller: ConsoleCaller,
    status: number,
    id: string,
    words: { title: string; text: string },
  ): void {
    const html = renderDocument(
      ProblemPage({
        s,
        caller,
        switchHref: consoleSwitchHref(request, s.lang),
        section: 'invalidations',
        ...words,
        back: {
          href: `/console/invalidations/${id}?lang=${s.lang}`,
          text: s.t.consoleModeration.invalidations.open,
        },
      }),
    );
    sendPage(reply, html, { status });
  }
}

function checkId(id: string): string {
  if (!UUID.test(id)) throw DomainError.notFound('Invalidation');
  return id;
}

/** The request a preview stands for: its stored criteria (without their time) and its reason. */
function requestOf(preview: InvalidationResponse): CreateInvalidationDto {
  const stored = preview.criteria as Record<string, unknown>;
  const criteria: Record<string, unknown> = {};
  for (const name of CRITERIA_FIELDS)
    if (typeof stored[name] === 'string') criteria[name] = stored[name];
  if (Array.isArray(stored.statuses)) criteria.statuses = stored.statuses;
  return {
    petitionId: preview.petitionId,
    criteria: criteria as InvalidationCriteriaDto,
    reasonCode: preview.reasonCode,
    note: preview.note ?? undefined,
    dryRun: false,
  };
}

/**
 * The service's own refusals of a valid-looking form, as a field's problem: no criterion besides
 * the statuses, a `sameSourceAs` naming no signature, or a petition the caller cannot see.
 */
function serviceProblem(s: Speech, error: unknown): PageFieldError | null {
  if (!(error instanceof DomainError)) return null;
  const v = s.t.consoleModeration.validation;
  if (error.code === 'not_found') return { field: 'petitionId', message: v.choosePetition };
  if (error.code !== 'validation_failed') return null;
  const field = (error.details[0] as { field?: string } | undefined)?.field;
  if (field === 'criteria') return { field: 'emailDomain', message: v.atLeastOneCriterion };
  if (field === 'criteria.sameSourceAs')
    return { field: 'sameSourceAs', message: v.noSuchSignature };
  return null;
}
