import { Controller, Get, Param, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { AccountRole } from '../../../accounts/account-role.js';
import { Public } from '../../../common/auth/auth.decorators.js';
import { DomainError } from '../../../common/errors/domain-error.js';
import { SignatureHistoryService } from '../../../moderation/signature-history.service.js';
import { speech } from '../../i18n/messages.js';
import { sendPage } from '../../page-response.js';
import { PageRoute } from '../../page-route.js';
import { renderDocument } from '../../views/render.js';
import { Caller, type ConsoleCaller, ConsolePage } from '../console-auth.js';
import { consoleLanguage, consoleSwitchHref } from '../request-helpers.js';
import { ConsoleNames } from './console-names.js';
import { UUID } from './form-checks.js';
import { SignatureHistoryPage } from './views/signature-history.view.js';

/** A signature's event history for moderators: the page the review queue links to. */
@ApiExcludeController()
@Controller('console/signatures')
@Public()
@ConsolePage(AccountRole.Moderator)
export class SignatureHistoryPagesController {
  constructor(
    private readonly history: SignatureHistoryService,
    private readonly names: ConsoleNames,
  ) {}

  @Get(':id')
  @PageRoute()
  async page(
    @Req() request: FastifyRequest,
    @Res() reply: FastifyReply,
    @Caller() caller: ConsoleCaller,
    @Param('id') id: string,
  ): Promise<void> {
    const s = speech(consoleLanguage(request));
    if (!UUID.test(id)) throw DomainError.notFound('Signature');
    const signature = await this.history.summary(id);
    const events = await this.history.events(id);
    const names = await this.names.accountNames(events.map((e) => e.actorId));
    sendPage(
      reply,
      renderDocument(
        SignatureHistoryPage({
          s,
          caller,
          switchHref: consoleSwitchHref(request, s.lang),
          signature,
          events,
          names,
        }),
      ),
    );
  }
}
