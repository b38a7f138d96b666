import { Controller, Get, Param, Post, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { AlertStatus } from '../../../abuse/alerts.repository.js';
import { AlertsService } from '../../../abuse/alerts.service.js';
import { AccountRole } from '../../../accounts/account-role.js';
import { Public } from '../../../common/auth/auth.decorators.js';
import { DomainError } from '../../../common/errors/domain-error.js';
import { AppConfig } from '../../../config/app-config.js';
import { speech } from '../../i18n/messages.js';
import { sendPage } from '../../page-response.js';
import { PageRoute } from '../../page-route.js';
import { renderDocument } from '../../views/render.js';
import { Caller, type ConsoleCaller, ConsolePage } from '../console-auth.js';
import { ConsoleNames } from '../moderation/console-names.js';
import { seeOther, text, UUID } from '../moderation/form-checks.js';
import { consoleLanguage, consoleSwitchHref } from '../request-helpers.js';
import { AlertsPage } from './views/alerts.view.js';

const PAGE_SIZE = 50;
const CURSOR = /^[A-Za-z0-9_-]{1,512}$/;

/**
 * Trending alerts as pages, on AlertsService: the open ones (or the acknowledged), each with a
 * button to acknowledge it and a link to the add-a-block form filled in from it.
 */
@ApiExcludeController()
@Controller('console/alerts')
@Public()
@ConsolePage(AccountRole.Moderator)
export class AlertPagesController {
  constructor(
    private readonly alerts: AlertsService,
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
    const status: AlertStatus =
      text(request.query, 'status') === 'acknowledged' ? 'acknowledged' : 'open';
    const cursor = text(request.query, 'cursor');
    const page = await this.alerts.list({
      status,
      limit: PAGE_SIZE,
      cursor: cursor && CURSOR.test(cursor) ? cursor : undefined,
    });
    const [accounts, petitions] = await Promise.all([
      this.names.accountNames(page.items.map((alert) => alert.acknowledgedBy)),
      this.names.petitionTitles(page.items.map((alert) => alert.petitionId)),
    ]);
    const html = renderDocument(
      AlertsPage({
        s,
        caller,
        switchHref: consoleSwitchHref(request, s.lang),
        threshold: this.config.trendingThreshold,
        status,
        alerts: page.items,
        nextCursor: page.nextCursor,
        lookups: { accounts, petitions },
        notice:
          text(request.query, 'notice') === 'acknowledged'
            ? s.t.consoleAbuse.alerts.notices.acknowledged
            : undefined,
      }),
    );
    sendPage(reply, html);
  }

  @Post(':id/acknowledge')
  @PageRoute({ form: true })
  async acknowledge(
    @Req() request: FastifyRequest,
    @Res() reply: FastifyReply,
    @Caller() caller: ConsoleCaller,
    @Param('id') id: string,
  ): Promise<void> {
    const s = speech(consoleLanguage(request));
    if (!UUID.test(id)) throw DomainError.notFound('Alert');
    await this.alerts.acknowledge(caller.principal, id);
    seeOther(reply, '/console/alerts', s.lang, { notice: 'acknowledged' });
  }
}
