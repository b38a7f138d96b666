import { Controller, Get, Param, Post, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { AccountRole } from '../../../accounts/account-role.js';
import { Public } from '../../../common/auth/auth.decorators.js';
import { DomainError } from '../../../common/errors/domain-error.js';
import { ImportService } from '../../../signatures/import.service.js';
import { SignatureListService } from '../../../signatures/signature-list.service.js';
import { sendPage } from '../../page-response.js';
import { PageRoute } from '../../page-route.js';
import { renderDocument } from '../../views/render.js';
import { Caller, type ConsoleCaller, ConsolePage } from '../console-auth.js';
import { consoleSwitchHref } from '../request-helpers.js';
import {
  type FileProblem,
  fileProblemOf,
  ImportReports,
  rowProblems,
  uploadedCsv,
  wordFileProblem,
  wordRowProblem,
} from './import-report.js';
import { PetitionConsoleService } from './petition-console.service.js';
import { PetitionPages, seeOther } from './petition-pages.js';
import { ImportReportPage } from './views/petition-steps.view.js';

const REPORT_ID = /^[A-Za-z0-9_-]{22}$/;

/**
 * A petition's console page (for its organiser and the moderators), the upload of signatures
 * received elsewhere, and the download of the verified ones.
 */
@ApiExcludeController()
@Controller('console/petitions/:id')
@Public()
export class ConsolePetitionController {
  constructor(
    private readonly console: PetitionConsoleService,
    private readonly pages: PetitionPages,
    private readonly imports: ImportService,
    private readonly lists: SignatureListService,
    private readonly reports: ImportReports,
  ) {}

  @Get()
  @PageRoute()
  @ConsolePage(AccountRole.Organiser, AccountRole.Moderator)
  async page(
    @Param('id') id: string,
    @Req() request: FastifyRequest,
    @Res() reply: FastifyReply,
    @Caller() caller: ConsoleCaller,
  ): Promise<void> {
    const petition = await this.console.petitionFor(id, caller.principal);
    await this.pages.detail(request, reply, caller, petition);
  }

  /**
   * A CSV file of signatures received elsewhere, through ImportService as the API takes it. The
   * outcome is kept for the page the browser is sent to, so reloading it imports nothing again.
   */
  @Post('import')
  @PageRoute({ multipart: true })
  @ConsolePage(AccountRole.Organiser, AccountRole.Moderator)
  async import(
    @Param('id') id: string,
    @Req() request: FastifyRequest,
    @Res() reply: FastifyReply,
    @Caller() caller: ConsoleCaller,
  ): Promise<void> {
    const s = this.pages.speech(request);
    const petition = await this.console.petitionFor(id, caller.principal);
    const file = uploadedCsv((request.body as Record<string, unknown> | undefined)?.file);
    const refuseFile = (problem: FileProblem) =>
      this.pages.detail(request, reply, caller, petition, {
        status: 400,
        errors: [{ field: 'file', message: wordFileProblem(problem, s) }],
      });
    if ('problem' in file) return refuseFile(file.problem);
    let result;
    try {
      result = await this.pages.refusing(request, reply, caller, petition, () =>
        this.imports.import(petition.id, caller.principal, file.csv),
      );
    } catch (error) {
      // The whole file was refused (a header or size problem): nothing was written.
      if (error instanceof DomainError && error.code === 'validation_failed') {
        return refuseFile(fileProblemOf(error.message));
      }
      throw error;
    }
    if (!result) return; // refused: the page is sent
    const report = this.reports.keep({
      accountId: caller.principal.id,
      petitionId: petition.id,
      accepted: result.accepted,
      rejected: rowProblems(file.csv, result.rejected),
    });
    seeOther(reply, `/console/petitions/${petition.id}/import/${report}?lang=${s.lang}`);
  }

  @Get('import/:report')
  @PageRoute()
  @ConsolePage(AccountRole.Organiser, AccountRole.Moderator)
  async importReport(
    @Param('id') id: string,
    @Param('report') reportId: string,
    @Req() request: FastifyRequest,
    @Res() reply: FastifyReply,
    @Caller() caller: ConsoleCaller,
  ): Promise<void> {
    const s = this.pages.speech(request);
    const petition = await this.console.petitionFor(id, caller.principal);
    const report = REPORT_ID.test(reportId)
      ? this.reports.find(reportId, caller.principal.id, petition.id)
      : null;
    const html = renderDocument(
      ImportReportPage({
        s,
        caller,
        switchHref: consoleSwitchHref(request, s.lang),
        petition,
        report: report && {
          accepted: report.accepted,
          rejected: report.rejected.map((r) => ({ row: r.row, problem: wordRowProblem(r, s) })),
        },
      }),
    );
    sendPage(reply, html);
  }

  /** The verified signatures as the API's CSV, streamed, with the API's headers. */
  @Get('signatures.csv')
  @PageRoute()
  @ConsolePage(AccountRole.Organiser, AccountRole.Moderator)
  async export(
    @Param('id') id: string,
    @Res() reply: FastifyReply,
    @Caller() caller: ConsoleCaller,
  ): Promise<void> {
    const petition = await this.console.petitionFor(id, caller.principal);
    const { csv } = await this.lists.exportCsv(petition.id, caller.principal);
    void reply
      .status(200)
      .header('content-type', 'text/csv; charset=utf-8')
      .header('content-disposition', `attachment; filename="${petition.slug}-verified.csv"`)
      .header('cache-control', 'no-store')
      .header('x-content-type-options', 'nosniff')
      .send(csv);
  }
}
