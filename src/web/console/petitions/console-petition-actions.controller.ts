import { Controller, Get, Param, Post, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { plainToInstance } from 'class-transformer';
import { validate } from 'class-validator';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { AccountRole } from '../../../accounts/account-role.js';
import { Public } from '../../../common/auth/auth.decorators.js';
import { DomainError } from '../../../common/errors/domain-error.js';
import { toValidationIssues } from '../../../common/validation/validation-issues.js';
import {
  ClosePetitionDto,
  PetitionDecisionDto,
} from '../../../petitions/dto/petition-decision.dto.js';
import { PetitionStatus } from '../../../petitions/petition-status.js';
import { InvitationsService } from '../../../invitations/invitations.service.js';
import { PetitionsService } from '../../../petitions/petitions.service.js';
import { sendPage } from '../../page-response.js';
import { PageRoute } from '../../page-route.js';
import type { PageFieldError } from '../../views/form-parts.js';
import { renderDocument } from '../../views/render.js';
import { Caller, type ConsoleCaller, ConsolePage } from '../console-auth.js';
import { consoleSwitchHref, field } from '../request-helpers.js';
import { PetitionConsoleService } from './petition-console.service.js';
import { PetitionPages, seeOther } from './petition-pages.js';
import { ClosePetitionPage } from './views/petition-steps.view.js';

/**
 * What moves a petition on: submitting a draft, copying a rejected one into a new draft,
 * closing an open one (after a page that asks once more), and a moderator's decision. Each is a
 * plain form post answered with a redirect; a petition that has moved on meanwhile gets the 409
 * page, and nothing changes.
 */
@ApiExcludeController()
@Controller('console/petitions/:id')
@Public()
export class ConsolePetitionActionsController {
  constructor(
    private readonly petitions: PetitionsService,
    private readonly console: PetitionConsoleService,
    private readonly pages: PetitionPages,
    private readonly invitations: InvitationsService,
  ) {}

  /** Mails the register's people their invitations; the page then says how many went out. */
  @Post('invitations')
  @PageRoute({ form: true })
  @ConsolePage(AccountRole.Organiser, AccountRole.Moderator)
  async invite(
    @Param('id') id: string,
    @Req() request: FastifyRequest,
    @Res() reply: FastifyReply,
    @Caller() caller: ConsoleCaller,
  ): Promise<void> {
    const s = this.pages.speech(request);
    const petition = await this.console.petitionFor(id, caller.principal);
    const sent = await this.pages.refusing(request, reply, caller, petition, () =>
      this.invitations.invite(petition.id, caller.principal, {}),
    );
    if (sent) {
      seeOther(
        reply,
        `/console/petitions/${petition.id}?lang=${s.lang}&done=invited&invited=${sent.invited}&skipped=${sent.skipped}`,
      );
    }
  }

  @Post('submit')
  @PageRoute({ form: true })
  @ConsolePage(AccountRole.Organiser)
  async submit(
    @Param('id') id: string,
    @Req() request: FastifyRequest,
    @Res() reply: FastifyReply,
    @Caller() caller: ConsoleCaller,
  ): Promise<void> {
    const s = this.pages.speech(request);
    const petition = await this.console.petitionFor(id, caller.principal);
    const done = await this.pages.refusing(request, reply, caller, petition, () =>
      this.petitions.submit(petition.id, caller.principal),
    );
    if (done) seeOther(reply, `/console/petitions/${petition.id}?lang=${s.lang}&done=submitted`);
  }

  /** A rejected petition's fields in a new draft, opened for editing. */
  @Post('copy')
  @PageRoute({ form: true })
  @ConsolePage(AccountRole.Organiser)
  async copy(
    @Param('id') id: string,
    @Req() request: FastifyRequest,
    @Res() reply: FastifyReply,
    @Caller() caller: ConsoleCaller,
  ): Promise<void> {
    const s = this.pages.speech(request);
    const petition = await this.console.petitionFor(id, caller.principal);
    const draft = await this.pages.refusing(request, reply, caller, petition, () =>
      this.petitions.copyAsDraft(petition.id, caller.principal),
    );
    if (draft) seeOther(reply, `/console/petitions/${draft.id}/edit?lang=${s.lang}&copied=1`);
  }

  @Get('close')
  @PageRoute()
  @ConsolePage(AccountRole.Organiser, AccountRole.Moderator)
  async closePage(
    @Param('id') id: string,
    @Req() request: FastifyRequest,
    @Res() reply: FastifyReply,
    @Caller() caller: ConsoleCaller,
  ): Promise<void> {
    const s = this.pages.speech(request);
    const petition = await this.console.petitionFor(id, caller.principal);
    if (!this.console.actions(petition, caller.principal).close) {
      const refusal =
        petition.status === PetitionStatus.Open ? 'forbidden' : ('invalid_transition' as const);
      return this.pages.refusal(request, reply, caller, petition, new DomainError(refusal, ''));
    }
    const html = renderDocument(
      ClosePetitionPage({
        s,
        caller,
        switchHref: consoleSwitchHref(request, s.lang),
        petition,
      }),
    );
    sendPage(reply, html);
  }

  @Post('close')
  @PageRoute({ form: true })
  @ConsolePage(AccountRole.Organiser, AccountRole.Moderator)
  async close(
    @Param('id') id: string,
    @Req() request: FastifyRequest,
    @Res() reply: FastifyReply,
    @Caller() caller: ConsoleCaller,
  ): Promise<void> {
    const s = this.pages.speech(request);
    const petition = await this.console.petitionFor(id, caller.principal);
    const note = (field(request.body, 'note') ?? '').trim();
    const dto = plainToInstance(ClosePetitionDto, note === '' ? {} : { note });
    // The textarea keeps to the limit; only a hand-made request gets here with more.
    if ((await validate(dto)).length > 0 || note.includes('\0')) {
      throw new DomainError('validation_failed', 'note: must be at most 2000 characters');
    }
    const done = await this.pages.refusing(request, reply, caller, petition, () =>
      this.petitions.close(petition.id, caller.principal, dto.note),
    );
    if (done) seeOther(reply, `/console/petitions/${petition.id}?lang=${s.lang}&done=closed`);
  }

  /** A moderator approves a submitted petition, or rejects it with a reason and a note. */
  @Post('decision')
  @PageRoute({ form: true })
  @ConsolePage(AccountRole.Moderator)
  async decide(
    @Param('id') id: string,
    @Req() request: FastifyRequest,
    @Res() reply: FastifyReply,
    @Caller() caller: ConsoleCaller,
  ): Promise<void> {
    const s = this.pages.speech(request);
    const petition = await this.console.petitionFor(id, caller.principal);
    const decision = field(request.body, 'decision') ?? '';
    const values = {
      reasonCode: field(request.body, 'reasonCode') ?? '',
      note: field(request.body, 'note') ?? '',
    };
    const plain: Record<string, unknown> = { decision };
    if (decision === 'reject') plain.reasonCode = values.reasonCode;
    if (values.note.trim() !== '') plain.note = values.note;
    const dto = plainToInstance(PetitionDecisionDto, plain);
    const issues = toValidationIssues(await validate(dto));
    if (issues.some((i) => i.field === 'decision') || values.note.includes('\0')) {
      throw new DomainError('validation_failed', 'decision must be "approve" or "reject"');
    }
    const errors: PageFieldError[] = [];
    const t = s.t.consolePetitions.decision;
    if (issues.some((i) => i.field === 'reasonCode')) {
      errors.push({ field: 'reasonCode', message: t.reasonRequired });
    }
    const noteIssue = issues.find((i) => i.field === 'note');
    if (noteIssue) {
      errors.push({
        field: 'note',
        message: s.t.validation.tooLong(t.note, s.f, noteIssue.limit ?? 2000),
      });
    }
    if (errors.length > 0) {
      // Nothing is decided with a form that has problems; a petition decided meanwhile says so.
      if (petition.status !== PetitionStatus.Submitted) {
        const moved = new DomainError('invalid_transition', '');
        return this.pages.refusal(request, reply, caller, petition, moved);
      }
      return this.pages.detail(request, reply, caller, petition, {
        status: 400,
        errors,
        decisionValues: values,
      });
    }
    const decided = await this.pages.refusing(request, reply, caller, petition, () =>
      this.petitions.decide(petition.id, caller.principal, dto),
    );
    if (!decided) return;
    const done = decided.status === PetitionStatus.Open ? 'approved' : 'rejected';
    seeOther(reply, `/console/petitions/${petition.id}?lang=${s.lang}&done=${done}`);
  }
}
