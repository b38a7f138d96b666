import { Controller, Get, Param, Post, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { AccountRole } from '../../../accounts/account-role.js';
import { Public } from '../../../common/auth/auth.decorators.js';
import { isModerator } from '../../../common/auth/principal.js';
import { DomainError } from '../../../common/errors/domain-error.js';
import { CountsService } from '../../../counts/counts.service.js';
import { isOwner } from '../../../petitions/petition-access.js';
import type { Petition } from '../../../petitions/petition.entity.js';
import { PETITION_STATUSES, PetitionStatus } from '../../../petitions/petition-status.js';
import { PetitionsService } from '../../../petitions/petitions.service.js';
import type { Speech } from '../../i18n/messages.js';
import { sendPage } from '../../page-response.js';
import { PageRoute } from '../../page-route.js';
import type { PageFieldError } from '../../views/form-parts.js';
import { renderDocument } from '../../views/render.js';
import { Caller, type ConsoleCaller, ConsolePage } from '../console-auth.js';
import { consoleSwitchHref, field } from '../request-helpers.js';
import { PetitionConsoleService } from './petition-console.service.js';
import {
  emptyPetitionForm,
  type PetitionFormValues,
  petitionFormValues,
  readPetitionForm,
  validatePetitionForm,
} from './petition-form.js';
import { PetitionPages, seeOther } from './petition-pages.js';
import { PetitionFormPage } from './views/petition-form.view.js';
import { type PetitionListItem, PetitionListPage } from './views/petition-list.view.js';

const PAGE_SIZE = 20;
/** Moderators see this many awaiting approval above the rest; the filter shows them all. */
const AWAITING_SHOWN = 50;

/**
 * The console's list of petitions, and the form that creates a petition or edits a draft. They
 * call the same services as the JSON API, with the session's account as the caller.
 */
@ApiExcludeController()
@Controller('console/petitions')
@Public()
export class ConsolePetitionsController {
  constructor(
    private readonly petitions: PetitionsService,
    private readonly counts: CountsService,
    private readonly console: PetitionConsoleService,
    private readonly pages: PetitionPages,
  ) {}

  /** An organiser's own petitions; for moderators, those awaiting approval first, then the rest. */
  @Get()
  @PageRoute()
  @ConsolePage(AccountRole.Organiser, AccountRole.Moderator)
  async list(
    @Req() request: FastifyRequest,
    @Res() reply: FastifyReply,
    @Caller() caller: ConsoleCaller,
  ): Promise<void> {
    const s = this.pages.speech(request);
    const cursor = field(request.query, 'cursor');
    const asked = field(request.query, 'status');
    const chosen = PETITION_STATUSES.includes(asked as PetitionStatus)
      ? (asked as PetitionStatus)
      : null;
    const moderating = isModerator(caller.principal);
    const [awaiting, page] = await Promise.all([
      moderating && chosen === null && cursor === undefined
        ? this.petitions.list({ statuses: [PetitionStatus.Submitted], limit: AWAITING_SHOWN })
        : null,
      this.petitions.list(
        moderating
          ? {
              statuses: chosen
                ? [chosen]
                : PETITION_STATUSES.filter((x) => x !== PetitionStatus.Submitted),
              limit: PAGE_SIZE,
              cursor,
            }
          : { organiserId: caller.principal.id, limit: PAGE_SIZE, cursor },
      ),
    ]);
    const all = [...(awaiting?.items ?? []), ...page.items];
    const counts = await this.counts.getMany(all.map((p) => p.id));
    const item = (p: Petition): PetitionListItem => {
      const c = counts.get(p.id)!.public;
      return {
        id: p.id,
        title: p.title,
        status: p.status,
        createdAt: p.createdAt,
        counts: {
          verified: c.verified,
          beingChecked: c.pending + c.needsReview,
          rejected: c.rejected,
        },
      };
    };
    const html = renderDocument(
      PetitionListPage({
        s,
        caller,
        switchHref: consoleSwitchHref(request, s.lang),
        moderating,
        awaiting: awaiting ? awaiting.items.map(item) : null,
        awaitingMore: awaiting?.nextCursor !== null && awaiting !== null,
        items: page.items.map(item),
        nextCursor: page.nextCursor,
        paged: cursor !== undefined,
        filter: moderating ? { statuses: [...PETITION_STATUSES], chosen } : null,
        canCreate: caller.session.role !== AccountRole.Moderator,
      }),
    );
    sendPage(reply, html);
  }

  @Get('new')
  @PageRoute()
  @ConsolePage(AccountRole.Organiser)
  async newForm(
    @Req() request: FastifyRequest,
    @Res() reply: FastifyReply,
    @Caller() caller: ConsoleCaller,
  ): Promise<void> {
    const s = this.pages.speech(request);
    await this.form(request, reply, caller, s, null, emptyPetitionForm(s.lang), []);
  }

  /** Creates the draft with the API's rules; a form with problems comes back with them shown. */
  @Post('new')
  @PageRoute({ form: true })
  @ConsolePage(AccountRole.Organiser)
  async create(
    @Req() request: FastifyRequest,
    @Res() reply: FastifyReply,
    @Caller() caller: ConsoleCaller,
  ): Promise<void> {
    const s = this.pages.speech(request);
    const { values, unknown } = readPetitionForm(request.body);
    if (unknown.length > 0) {
      throw new DomainError('validation_failed', 'The form has fields it should not have');
    }
    const checked = await validatePetitionForm(values, 'create', s);
    if (checked.dto === null) {
      return this.form(request, reply, caller, s, null, values, checked.errors, 400);
    }
    const dto = checked.dto;
    const petition = await this.unlessNoRegister(() =>
      this.petitions.create(caller.principal.id, dto),
    );
    if (petition === null) {
      return this.form(request, reply, caller, s, null, values, [noRegister(s)], 400);
    }
    seeOther(reply, `/console/petitions/${petition.id}?lang=${s.lang}&done=created`);
  }

  @Get(':id/edit')
  @PageRoute()
  @ConsolePage(AccountRole.Organiser)
  async editForm(
    @Param('id') id: string,
    @Req() request: FastifyRequest,
    @Res() reply: FastifyReply,
    @Caller() caller: ConsoleCaller,
  ): Promise<void> {
    const s = this.pages.speech(request);
    const petition = await this.console.petitionFor(id, caller.principal);
    if (!(await this.editable(request, reply, caller, petition))) return;
    const copied = field(request.query, 'copied') === '1';
    await this.form(
      request,
      reply,
      caller,
      s,
      petition.id,
      petitionFormValues(petition),
      [],
      200,
      copied,
    );
  }

  @Post(':id/edit')
  @PageRoute({ form: true })
  @ConsolePage(AccountRole.Organiser)
  async update(
    @Param('id') id: string,
    @Req() request: FastifyRequest,
    @Res() reply: FastifyReply,
    @Caller() caller: ConsoleCaller,
  ): Promise<void> {
    const s = this.pages.speech(request);
    const petition = await this.console.petitionFor(id, caller.principal);
    if (!(await this.editable(request, reply, caller, petition))) return;
    const { values, unknown } = readPetitionForm(request.body);
    if (unknown.length > 0) {
      throw new DomainError('validation_failed', 'The form has fields it should not have');
    }
    const checked = await validatePetitionForm(values, 'update', s);
    if (checked.dto === null) {
      return this.form(request, reply, caller, s, petition.id, values, checked.errors, 400);
    }
    const dto = checked.dto;
    const saved = await this.pages.refusing(request, reply, caller, petition, () =>
      this.unlessNoRegister(() => this.petitions.update(petition.id, caller.principal, dto)),
    );
    if (saved === undefined) return; // refused: the page is sent
    if (saved === null) {
      return this.form(request, reply, caller, s, petition.id, values, [noRegister(s)], 400);
    }
    seeOther(reply, `/console/petitions/${petition.id}?lang=${s.lang}&done=saved`);
  }

  /** Only its organiser edits a petition, and only a draft: else the page that says why. */
  private async editable(
    request: FastifyRequest,
    reply: FastifyReply,
    caller: ConsoleCaller,
    petition: Petition,
  ): Promise<boolean> {
    if (!isOwner(petition, caller.principal)) {
      await this.pages.refusal(request, reply, caller, petition, new DomainError('forbidden', ''));
      return false;
    }
    if (petition.status !== PetitionStatus.Draft) {
      await this.pages.refusal(
        request,
        reply,
        caller,
        petition,
        new DomainError('petition_not_editable', ''),
      );
      return false;
    }
    return true;
  }

  /** The service's answer, or null when it refused the register (the one rule the DTO lacks). */
  private async unlessNoRegister(save: () => Promise<Petition>): Promise<Petition | null> {
    try {
      return await save();
    } catch (error) {
      const aboutRegister =
        error instanceof DomainError &&
        error.code === 'validation_failed' &&
        error.details.some((d) => (d as { field?: unknown }).field === 'registerId');
      if (aboutRegister) return null;
      throw error;
    }
  }

  private async form(
    request: FastifyRequest,
    reply: FastifyReply,
    caller: ConsoleCaller,
    s: Speech,
    petitionId: string | null,
    values: PetitionFormValues,
    errors: PageFieldError[],
    status = 200,
    copied = false,
  ): Promise<void> {
    const html = renderDocument(
      PetitionFormPage({
        s,
        caller,
        switchHref: consoleSwitchHref(request, s.lang),
        petitionId,
        values,
        errors,
        registers: await this.console.registerChoices(),
        copied,
      }),
    );
    sendPage(reply, html, { status });
  }
}

function noRegister(s: Speech): PageFieldError {
  return { field: 'registerId', message: s.t.consolePetitions.validation.noRegister };
}
