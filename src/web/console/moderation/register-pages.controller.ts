import { Controller, Get, Param, Post, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { AccountRole } from '../../../accounts/account-role.js';
import { Public } from '../../../common/auth/auth.decorators.js';
import { DomainError } from '../../../common/errors/domain-error.js';
import { readUploadRows } from '../../../common/upload/row-upload.js';
import { CreateRegisterDto, RegisterEntryDto } from '../../../registers/dto/register.dto.js';
import { ENTRIES_SHAPE, RegistersService } from '../../../registers/registers.service.js';
import { type Speech, speech } from '../../i18n/messages.js';
import { sendPage } from '../../page-response.js';
import { PageRoute } from '../../page-route.js';
import type { PageFieldError } from '../../views/form-parts.js';
import { renderDocument } from '../../views/render.js';
import { Caller, type ConsoleCaller, ConsolePage } from '../console-auth.js';
import { consoleLanguage, consoleSwitchHref } from '../request-helpers.js';
import { checkDto, fieldErrors, given, seeOther, text, UUID } from './form-checks.js';
import { RegisterPage, RegistersPage, type UploadResult } from './views/registers.view.js';

const PAGE_SIZE = 50;
const CURSOR = /^[A-Za-z0-9_-]{1,512}$/;

/**
 * Eligibility registers as pages, on RegistersService: the list, a new register, a new version
 * uploaded as a CSV file (multipart/form-data, so it works from a plain form) with each refused row
 * shown by its number and why, and the entries, a page at a time.
 */
@ApiExcludeController()
@Controller('console/registers')
@Public()
@ConsolePage(AccountRole.Moderator)
export class RegisterPagesController {
  constructor(private readonly registers: RegistersService) {}

  @Get()
  @PageRoute()
  async page(
    @Req() request: FastifyRequest,
    @Res() reply: FastifyReply,
    @Caller() caller: ConsoleCaller,
  ): Promise<void> {
    const s = speech(consoleLanguage(request));
    await this.list(request, reply, s, caller, 200, { name: '', description: '' }, []);
  }

  @Post()
  @PageRoute({ form: true })
  async create(
    @Req() request: FastifyRequest,
    @Res() reply: FastifyReply,
    @Caller() caller: ConsoleCaller,
  ): Promise<void> {
    const s = speech(consoleLanguage(request));
    const form = {
      name: text(request.body, 'name') ?? '',
      description: text(request.body, 'description') ?? '',
    };
    const { dto, issues } = await checkDto(CreateRegisterDto, {
      name: form.name,
      description: given(form, 'description'),
    });
    if (issues.length > 0) {
      const r = s.t.consoleModeration.registers;
      const errors = fieldErrors(s, issues, [
        { field: 'name', label: r.name },
        { field: 'description', label: r.description },
      ]);
      return this.list(request, reply, s, caller, 400, form, errors);
    }
    const register = await this.registers.create(caller.principal, dto);
    seeOther(reply, `/console/registers/${register.id}`, s.lang, { notice: 'created' });
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
    const notice =
      text(request.query, 'notice') === 'created'
        ? s.t.consoleModeration.registers.created
        : undefined;
    await this.show(request, reply, s, caller, checkId(id), 200, { notice });
  }

  /** A new version from a CSV file. The answer is the page itself, with what the upload refused. */
  @Post(':id/entries')
  @PageRoute({ multipart: true })
  async upload(
    @Req() request: FastifyRequest,
    @Res() reply: FastifyReply,
    @Caller() caller: ConsoleCaller,
    @Param('id') id: string,
  ): Promise<void> {
    const s = speech(consoleLanguage(request));
    const v = s.t.consoleModeration.validation;
    const registerId = checkId(id);
    await this.registers.get(registerId); // 404 before anything is read
    const file = (request.body as Record<string, unknown> | undefined)?.file;
    const bytes = Buffer.isBuffer(file)
      ? file
      : typeof file === 'string'
        ? Buffer.from(file)
        : null;
    if (!bytes || bytes.length === 0) {
      return this.show(request, reply, s, caller, registerId, 400, {
        errors: [{ field: 'file', message: v.chooseFile }],
      });
    }
    const csv = bytes.toString('utf8');
    if (csv.includes('\0')) {
      return this.show(request, reply, s, caller, registerId, 400, {
        errors: [{ field: 'file', message: v.fileUnreadable }],
      });
    }
    try {
      const done = await this.registers.replaceEntries(registerId, csv);
      const result: UploadResult = {
        version: done.version,
        imported: done.imported,
        rejected: await rowProblems(s, csv, done.rejected),
      };
      await this.show(request, reply, s, caller, registerId, 200, { result });
    } catch (error) {
      // The whole file was refused (no header, an unknown column, too many rows): nothing changed.
      if (!(error instanceof DomainError) || error.code !== 'validation_failed') throw error;
      await this.show(request, reply, s, caller, registerId, 400, {
        errors: [{ field: 'file', message: v.fileUnreadable }],
        fileDetail: error.message,
      });
    }
  }

  private async list(
    request: FastifyRequest,
    reply: FastifyReply,
    s: Speech,
    caller: ConsoleCaller,
    status: number,
    form: { name: string; description: string },
    errors: PageFieldError[],
  ): Promise<void> {
    const page = await this.registers.list({ limit: PAGE_SIZE, cursor: cursorOf(request) });
    const html = renderDocument(
      RegistersPage({
        s,
        caller,
        switchHref: consoleSwitchHref(request, s.lang),
        registers: page.items,
        nextCursor: page.nextCursor,
        form,
        errors,
      }),
    );
    sendPage(reply, html, { status });
  }

  private async show(
    request: FastifyRequest,
    reply: FastifyReply,
    s: Speech,
    caller: ConsoleCaller,
    id: string,
    status: number,
    extra: {
      notice?: string;
      result?: UploadResult;
      errors?: PageFieldError[];
      fileDetail?: string;
    },
  ): Promise<void> {
    // After an upload, the entries shown are the new version's first page.
    const cursor = request.method === 'GET' ? cursorOf(request) : undefined;
    const register = await this.registers.get(id);
    const entries = await this.registers.listEntries(id, { limit: PAGE_SIZE, cursor });
    const html = renderDocument(
      RegisterPage({
        s,
        caller,
        switchHref: consoleSwitchHref(request, s.lang),
        register,
        entries: entries.items,
        cursor: cursor ?? null,
        nextCursor: entries.nextCursor,
        errors: extra.errors ?? [],
        notice: extra.notice,
        result: extra.result,
        fileDetail: extra.fileDetail,
      }),
    );
    sendPage(reply, html, { status });
  }
}

function checkId(id: string): string {
  if (!UUID.test(id)) throw DomainError.notFound('Register');
  return id;
}

function cursorOf(request: FastifyRequest): string | undefined {
  const cursor = text(request.query, 'cursor');
  return cursor && CURSOR.test(cursor) ? cursor : undefined;
}

/**
 * Each refused row's problem in the page's language. The service says only its English message,
 * so the rows it refused are read again from the same file and checked with the same DTO, which
 * gives the rule that failed for each field.
 */
async function rowProblems(
  s: Speech,
  csv: string,
  rejected: Array<{ row: number; code: string; message: string }>,
): Promise<UploadResult['rejected']> {
  if (rejected.length === 0) return [];
  const t = s.t.consoleModeration;
  const rows = readUploadRows(csv, ENTRIES_SHAPE);
  const labels = [
    { field: 'fullName', label: t.fullName },
    { field: 'district', label: t.district },
    { field: 'title', label: t.title_ },
    { field: 'email', label: t.email },
  ];
  const out: UploadResult['rejected'] = [];
  for (const { row, code } of rejected) {
    if (code === 'duplicate_in_upload') {
      out.push({ row, problem: t.validation.duplicateEmail });
      continue;
    }
    const raw = rows[row - 1];
    if (raw !== null && typeof raw === 'object' && '__extraCells' in raw) {
      out.push({ row, problem: t.validation.moreCells });
      continue;
    }
    const { issues } = await checkDto(RegisterEntryDto, (raw ?? {}) as Record<string, unknown>);
    const words = fieldErrors(s, issues, labels).map((e) => e.message);
    out.push({ row, problem: words.length > 0 ? words.join('; ') : t.validation.rowInvalid });
  }
  return out;
}
