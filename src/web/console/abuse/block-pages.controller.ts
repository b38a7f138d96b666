import { Controller, Get, Param, Post, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { BlocksService } from '../../../abuse/blocks.service.js';
import { AccountRole } from '../../../accounts/account-role.js';
import { Public } from '../../../common/auth/auth.decorators.js';
import { DomainError } from '../../../common/errors/domain-error.js';
import { PetitionStatus } from '../../../petitions/petition-status.js';
import { PetitionsService } from '../../../petitions/petitions.service.js';
import { type Speech, speech } from '../../i18n/messages.js';
import { sendPage } from '../../page-response.js';
import { PageRoute } from '../../page-route.js';
import type { PageFieldError } from '../../views/form-parts.js';
import { renderDocument } from '../../views/render.js';
import { Caller, type ConsoleCaller, ConsolePage } from '../console-auth.js';
import { ConsoleNames } from '../moderation/console-names.js';
import { seeOther, text, UUID } from '../moderation/form-checks.js';
import { consoleLanguage, consoleSwitchHref } from '../request-helpers.js';
import {
  type BlockFormValues,
  prefilledBlockForm,
  readBlockForm,
  serviceProblem,
  validateBlockForm,
} from './block-form.js';
import { BlocksPage } from './views/blocks.view.js';

const PAGE_SIZE = 50;
const CURSOR = /^[A-Za-z0-9_-]{1,512}$/;
const NOTICES = ['added', 'removed'] as const;

/**
 * Blocks as pages, on BlocksService and its rules: those in force (or the removed and expired
 * ones), a form to add one, which an alert's link can fill in, and a button to remove one.
 */
@ApiExcludeController()
@Controller('console/blocks')
@Public()
@ConsolePage(AccountRole.Moderator)
export class BlockPagesController {
  constructor(
    private readonly blocks: BlocksService,
    private readonly petitions: PetitionsService,
    private readonly names: ConsoleNames,
  ) {}

  @Get()
  @PageRoute()
  async page(
    @Req() request: FastifyRequest,
    @Res() reply: FastifyReply,
    @Caller() caller: ConsoleCaller,
  ): Promise<void> {
    const s = speech(consoleLanguage(request));
    const { form, prefilled } = prefilledBlockForm(request.query);
    const code = text(request.query, 'notice');
    const notice = (NOTICES as readonly string[]).includes(code ?? '')
      ? s.t.consoleAbuse.blocks.notices[code as (typeof NOTICES)[number]]
      : undefined;
    await this.render(request, reply, s, caller, 200, { form, prefilled, errors: [], notice });
  }

  @Post()
  @PageRoute({ form: true })
  async create(
    @Req() request: FastifyRequest,
    @Res() reply: FastifyReply,
    @Caller() caller: ConsoleCaller,
  ): Promise<void> {
    const s = speech(consoleLanguage(request));
    const form = readBlockForm(request.body);
    const { dto, errors } = await validateBlockForm(form, s);
    if (errors.length > 0) {
      return this.render(request, reply, s, caller, 400, { form, prefilled: false, errors });
    }
    try {
      await this.blocks.create(caller.principal, dto);
    } catch (error) {
      const problem = serviceProblem(s, error);
      if (!problem) throw error;
      return this.render(request, reply, s, caller, 400, {
        form,
        prefilled: false,
        errors: [problem],
      });
    }
    seeOther(reply, '/console/blocks', s.lang, { notice: 'added' });
  }

  @Post(':id/remove')
  @PageRoute({ form: true })
  async remove(
    @Req() request: FastifyRequest,
    @Res() reply: FastifyReply,
    @Caller() caller: ConsoleCaller,
    @Param('id') id: string,
  ): Promise<void> {
    const s = speech(consoleLanguage(request));
    if (!UUID.test(id)) throw DomainError.notFound('Block');
    await this.blocks.remove(caller.principal, id);
    seeOther(reply, '/console/blocks', s.lang, { notice: 'removed' });
  }

  private async render(
    request: FastifyRequest,
    reply: FastifyReply,
    s: Speech,
    caller: ConsoleCaller,
    status: number,
    page: {
      form: BlockFormValues;
      prefilled: boolean;
      errors: PageFieldError[];
      notice?: string;
    },
  ): Promise<void> {
    const ended = text(request.query, 'show') === 'ended';
    const cursor = text(request.query, 'cursor');
    const [list, petitions] = await Promise.all([
      this.blocks.list({
        // Removed and expired ones together: neither applies any more.
        states: ended ? ['removed', 'expired'] : ['active'],
        limit: PAGE_SIZE,
        cursor: request.method === 'GET' && cursor && CURSOR.test(cursor) ? cursor : undefined,
      }),
      this.petitions.list({ statuses: [PetitionStatus.Open, PetitionStatus.Closed], limit: 100 }),
    ]);
    const blocks = list.items;
    const options: Array<[string, string]> = petitions.items.map((p) => [p.id, p.title]);
    const [accounts, titles] = await Promise.all([
      this.names.accountNames(blocks.flatMap((b) => [b.createdBy, b.removedBy])),
      this.names.petitionTitles([
        ...blocks.flatMap((b) => (b.petitionId ? [b.petitionId] : [])),
        ...(page.form.petitionId ? [page.form.petitionId] : []),
      ]),
    ]);
    // A petition an alert named that the list does not hold (older than the newest 100) is
    // still offered, so the prefilled choice is kept.
    const chosen = page.form.petitionId;
    if (chosen && titles.has(chosen) && !options.some(([id]) => id === chosen)) {
      options.unshift([chosen, titles.get(chosen)!]);
    }
    const html = renderDocument(
      BlocksPage({
        s,
        caller,
        switchHref: consoleSwitchHref(request, s.lang),
        ended,
        blocks,
        nextCursor: list.nextCursor,
        lookups: { accounts, petitions: titles },
        petitions: options,
        ...page,
      }),
    );
    sendPage(reply, html, { status });
  }
}
