import { Controller, Get, HttpCode, Post, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { plainToInstance } from 'class-transformer';
import { validate } from 'class-validator';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { AccountRole } from '../../../accounts/account-role.js';
import { AccountsService } from '../../../accounts/accounts.service.js';
import { ConsoleSessionsService } from '../../../accounts/console-sessions.service.js';
import { CreateAccountDto } from '../../../accounts/dto/create-account.dto.js';
import { Public } from '../../../common/auth/auth.decorators.js';
import { DomainError } from '../../../common/errors/domain-error.js';
import { toValidationIssues } from '../../../common/validation/validation-issues.js';
import { UuidParam } from '../../../common/validation/uuid-param.js';
import { speech, type Speech } from '../../i18n/messages.js';
import { sendPage } from '../../page-response.js';
import { PageRoute } from '../../page-route.js';
import { renderDocument } from '../../views/render.js';
import type { PageFieldError } from '../../views/form-parts.js';
import { Caller, type ConsoleCaller, ConsolePage } from '../console-auth.js';
import { consoleLanguage, consoleSwitchHref, field } from '../request-helpers.js';
import { AccountsPage, type AccountRow, type NewAccountForm, TokenPage } from './accounts.view.js';

const PAGE_SIZE = 50;
type Notice = 'token' | 'sessions' | 'deactivated';

/**
 * Admins manage accounts: list, create (the token shown once), give a new token, end an
 * account's sessions, deactivate it (its token and sessions stop at once). The same services as
 * the JSON API's account endpoints.
 */
@ApiExcludeController()
@Controller('console/accounts')
@Public()
@ConsolePage(AccountRole.Admin)
export class ConsoleAccountsController {
  constructor(
    private readonly accounts: AccountsService,
    private readonly sessions: ConsoleSessionsService,
  ) {}

  @Get()
  @PageRoute()
  async list(
    @Req() request: FastifyRequest,
    @Res() reply: FastifyReply,
    @Caller() caller: ConsoleCaller,
  ): Promise<void> {
    const s = speech(consoleLanguage(request));
    const notice = field(request.query, 'done') as Notice | undefined;
    const count = Number(field(request.query, 'n') ?? 0);
    const words: Record<Notice, string> = {
      token: s.t.consoleAccounts.newTokenDone,
      sessions: s.t.consoleAccounts.sessionsEnded(count),
      deactivated: s.t.consoleAccounts.deactivatedDone,
    };
    await this.render(
      request,
      reply,
      caller,
      s,
      { values: {}, errors: [] },
      200,
      notice ? words[notice] : undefined,
    );
  }

  @Post()
  @PageRoute({ form: true })
  async create(
    @Req() request: FastifyRequest,
    @Res() reply: FastifyReply,
    @Caller() caller: ConsoleCaller,
  ): Promise<void> {
    const s = speech(consoleLanguage(request));
    const values = {
      email: field(request.body, 'email') ?? '',
      displayName: field(request.body, 'displayName') ?? '',
      role: field(request.body, 'role') ?? '',
    };
    const dto = plainToInstance(CreateAccountDto, values);
    const issues = toValidationIssues(await validate(dto, { whitelist: true }));
    if (issues.length > 0) {
      const errors = issues.map((issue) => ({ field: issue.field, message: issue.message }));
      return this.render(request, reply, caller, s, { values, errors }, 400);
    }
    try {
      const { account, token } = await this.accounts.create(dto);
      this.showToken(request, reply, caller, s, account, token, 201, [
        s.t.consoleAccounts.tokenShownOnce,
      ]);
    } catch (error) {
      if (!(error instanceof DomainError && error.code === 'account_exists')) throw error;
      const errors: PageFieldError[] = [{ field: 'email', message: s.t.consoleAccounts.exists }];
      return this.render(request, reply, caller, s, { values, errors }, 409);
    }
  }

  @Post(':id/token')
  @HttpCode(200)
  @PageRoute({ form: true })
  async token(
    @UuidParam('id', 'Account') id: string,
    @Req() request: FastifyRequest,
    @Res() reply: FastifyReply,
    @Caller() caller: ConsoleCaller,
  ): Promise<void> {
    const s = speech(consoleLanguage(request));
    const accountId = id;
    const token = await this.accounts.issueToken(accountId);
    const account = await this.accounts.findById(accountId);
    this.showToken(request, reply, caller, s, account!, token, 200, [
      s.t.consoleAccounts.newTokenDone,
      s.t.consoleAccounts.tokenShownOnce,
    ]);
  }

  @Post(':id/sessions')
  @PageRoute({ form: true })
  async endSessions(
    @UuidParam('id', 'Account') id: string,
    @Req() request: FastifyRequest,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    const s = speech(consoleLanguage(request));
    const accountId = id;
    if (!(await this.accounts.findById(accountId))) throw DomainError.notFound('Account');
    const ended = await this.sessions.endAll(accountId);
    redirect(reply, s, `done=sessions&n=${ended}`);
  }

  @Post(':id/deactivate')
  @PageRoute({ form: true })
  async deactivate(
    @UuidParam('id', 'Account') id: string,
    @Req() request: FastifyRequest,
    @Res() reply: FastifyReply,
    @Caller() caller: ConsoleCaller,
  ): Promise<void> {
    const s = speech(consoleLanguage(request));
    await this.accounts.deactivate(id, caller.principal);
    redirect(reply, s, 'done=deactivated');
  }

  /** The page that shows a token, once (never cached: pages are no-store). */
  private showToken(
    request: FastifyRequest,
    reply: FastifyReply,
    caller: ConsoleCaller,
    s: Speech,
    account: Parameters<typeof row>[0],
    token: string,
    status: number,
    lines: string[],
  ): void {
    const title =
      status === 201 ? s.t.consoleAccounts.createdTitle : s.t.consoleAccounts.tokenTitle;
    sendPage(
      reply,
      renderDocument(
        TokenPage({
          s,
          caller,
          switchHref: consoleSwitchHref(request, s.lang),
          title,
          account: row(account),
          token,
          lines,
        }),
      ),
      { status },
    );
  }

  private async render(
    request: FastifyRequest,
    reply: FastifyReply,
    caller: ConsoleCaller,
    s: Speech,
    form: NewAccountForm,
    status: number,
    notice?: string,
  ): Promise<void> {
    const cursor = field(request.query, 'cursor');
    const page = await this.accounts.list({ limit: PAGE_SIZE, cursor });
    sendPage(
      reply,
      renderDocument(
        AccountsPage({
          s,
          caller,
          switchHref: consoleSwitchHref(request, s.lang),
          accounts: page.items.map(row),
          nextCursor: page.nextCursor,
          paged: cursor !== undefined,
          form,
          notice,
        }),
      ),
      { status },
    );
  }
}

function row(account: {
  id: string;
  email: string;
  displayName: string;
  role: string;
  createdAt: Date;
  deactivatedAt?: Date | null;
}): AccountRow {
  return { ...account, deactivatedAt: account.deactivatedAt ?? null };
}

function redirect(reply: FastifyReply, s: Speech, query: string): void {
  void reply.status(303).header('location', `/console/accounts?lang=${s.lang}&${query}`).send();
}
