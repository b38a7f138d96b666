import {
  Body,
  Controller,
  Get,
  Header,
  Headers,
  HttpCode,
  Ip,
  Param,
  Post,
  Query,
  Req,
  StreamableFile,
} from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiExtraModels,
  ApiOperation,
  ApiParam,
  ApiResponse,
  ApiTags,
  getSchemaPath,
} from '@nestjs/swagger';
import { AccountRole } from '../accounts/account-role.js';
import {
  CurrentPrincipal,
  Public,
  type RequestWithPrincipal,
  Roles,
} from '../common/auth/auth.decorators.js';
import type { Principal } from '../common/auth/principal.js';
import { andThen, type MaybePromise } from '../common/async/maybe-promise.js';
import { JSON_CONTENT_TYPE, SharedJson } from '../common/http/shared-json.js';
import { ApiErrors } from '../common/openapi/api-errors.decorator.js';
import { ApiRateLimited } from '../common/rate-limit/limit-by-source.js';
import { PageQueryDto } from '../common/pagination/page-query.dto.js';
import { ApiUpload } from '../common/upload/upload-docs.js';
import { UploadRoute } from '../common/upload/upload-route.js';
import { CountsService } from '../counts/counts.service.js';
import {
  countsFor,
  DistrictCountsResponse,
  PublicSignatureCounts,
  SignatureCounts,
} from '../counts/signature-counts.js';
import { PetitionsService } from '../petitions/petitions.service.js';
import { ImportBodyDto, ImportResponse } from './dto/import.dto.js';
import { PublicSignaturePageResponse } from './dto/public-signature.response.js';
import { SignerCommentPageResponse } from './dto/signer-comment.response.js';
import { SignatureReceivedResponse, SignDto } from './dto/sign.dto.js';
import { ImportService } from './import.service.js';
import { SignatureListService } from './signature-list.service.js';
import { SigningService } from './signing.service.js';

@ApiTags('signatures')
@ApiBearerAuth()
@Controller('v1/petitions/:idOrSlug')
@ApiParam({ name: 'idOrSlug', description: 'The petition’s id or slug' })
export class PetitionSignaturesController {
  constructor(
    private readonly signing: SigningService,
    private readonly imports: ImportService,
    private readonly lists: SignatureListService,
    private readonly petitions: PetitionsService,
    private readonly countsService: CountsService,
  ) {}

  private readonly countsJson = new SharedJson();

  @Post('signatures')
  @Public()
  @HttpCode(202)
  @ApiOperation({
    summary: 'Sign an open petition (public)',
    description:
      'The answer is the same whether or not this email already signed: one signature per email ' +
      '(compared after normalisation) per petition, and no second mail. With email confirmation ' +
      'the signature starts `unconfirmed` and a confirmation mail goes out; otherwise it starts ' +
      '`pending` and the mail is a receipt with the withdrawal link. The mail is in the language ' +
      'of Accept-Language when it is English or Russian, else in the petition’s. With ' +
      '`invitation` (a register invitation’s token) the entry’s name, email and district are ' +
      'used, no confirmation mail is sent, and the signature verifies on the register check; ' +
      'an unknown or another petition’s invitation → 404 `invalid_invitation`, a used one → ' +
      '409 `invitation_used`, one whose petition closed → 410 `invitation_expired`.',
  })
  @ApiResponse({ status: 202, type: SignatureReceivedResponse })
  @ApiErrors(
    'validation_failed',
    'malformed_json',
    'not_found',
    'invalid_invitation',
    'petition_not_open',
    'invitation_used',
    'invitation_expired',
    'unauthorized',
  )
  @ApiRateLimited(
    'too many signatures from this source on this petition (RATE_LIMIT_SIGN) or on all ' +
      '(RATE_LIMIT_SIGN_ALL)',
  )
  async sign(
    @Param('idOrSlug') idOrSlug: string,
    @Body() dto: SignDto,
    @Ip() ip: string,
    @Headers('user-agent') userAgent: string | undefined,
    @Headers('accept-language') acceptLanguage: string | undefined,
    @CurrentPrincipal() principal?: Principal,
  ): Promise<SignatureReceivedResponse> {
    await this.signing.sign(idOrSlug, dto, { ip, userAgent, acceptLanguage, principal });
    return { status: 'received' };
  }

  @Post('signatures/import')
  @HttpCode(202)
  @Roles(AccountRole.Organiser, AccountRole.Moderator)
  @UploadRoute()
  @ApiOperation({
    summary: 'Import signatures received elsewhere (its organiser or a moderator)',
    description:
      'JSON `{signatures: [...]}` or `text/csv` with a header row naming fullName and any of ' +
      'email, district, title; at most 10,000 rows. Good rows are written together and start ' +
      '`pending`; bad rows are listed with their 1-based position among the data rows. Every ' +
      'good row is a signature of its own, even when its email already signed online or in an ' +
      'earlier import (the counts move the same either way): the `same_address` check sends ' +
      'such a row to review, naming the other signature. The same email twice in one upload is ' +
      'refused (`duplicate_in_upload`). A row with an email gets a receipt mail with the ' +
      'withdraw link, so the owner of the address can take the signature back; the mail is ' +
      'queued behind signers’ own mails and counts against MAIL_LIMIT_PER_ADDRESS (past it, the ' +
      'row is kept and its mail dropped). The answer does not wait for the mail.',
  })
  @ApiUpload(() => ImportBodyDto, { status: 202, type: () => ImportResponse }, 'petition_not_open')
  async import(
    @Param('idOrSlug') idOrSlug: string,
    @CurrentPrincipal() principal: Principal,
    @Body() body: unknown,
  ): Promise<ImportResponse> {
    return this.imports.import(idOrSlug, principal, body);
  }

  @Get('signatures')
  @Public()
  @ApiOperation({
    summary: 'Verified signatures whose signers chose to be listed (public)',
    description: 'Most recently verified first. Never email, IP or comment.',
  })
  @ApiResponse({ status: 200, type: PublicSignaturePageResponse })
  @ApiErrors('validation_failed', 'invalid_cursor', 'not_found', 'unauthorized')
  async list(
    @Param('idOrSlug') idOrSlug: string,
    @Query() query: PageQueryDto,
    @CurrentPrincipal() principal?: Principal,
  ): Promise<PublicSignaturePageResponse> {
    return this.lists.listPublic(idOrSlug, principal, query);
  }

  @Get('comments')
  @Roles(AccountRole.Organiser, AccountRole.Moderator)
  @ApiOperation({
    summary: 'The signers’ comments, newest first (its organiser or a moderator)',
    description:
      'Signatures that carry a comment and are pending, in review, verified or rejected: ' +
      '`{fullName, comment, status, createdAt}`. Unconfirmed and expired ones are left out, as ' +
      'they are from the public counts. Comments are never shown publicly.',
  })
  @ApiResponse({ status: 200, type: SignerCommentPageResponse })
  @ApiErrors('validation_failed', 'invalid_cursor', 'unauthorized', 'forbidden', 'not_found')
  async comments(
    @Param('idOrSlug') idOrSlug: string,
    @Query() query: PageQueryDto,
    @CurrentPrincipal() principal: Principal,
  ): Promise<SignerCommentPageResponse> {
    return this.lists.comments(idOrSlug, principal, query);
  }

  @Get('signatures.csv')
  @Roles(AccountRole.Organiser, AccountRole.Moderator)
  @ApiOperation({
    summary: 'Every verified signature as CSV (its organiser or a moderator)',
    description:
      'Columns fullName, district, title, verifiedAt, oldest first. Cells a spreadsheet would ' +
      'run as a formula get a leading apostrophe.',
  })
  @ApiResponse({
    status: 200,
    description: 'The CSV file, UTF-8, with a header row',
    content: { 'text/csv': { schema: { type: 'string' } } },
  })
  @ApiErrors('unauthorized', 'forbidden', 'not_found')
  async export(
    @Param('idOrSlug') idOrSlug: string,
    @CurrentPrincipal() principal: Principal,
  ): Promise<StreamableFile> {
    const { petition, csv } = await this.lists.exportCsv(idOrSlug, principal);
    return new StreamableFile(csv, {
      type: 'text/csv; charset=utf-8',
      disposition: `attachment; filename="${petition.slug}-verified.csv"`,
    });
  }

  @Get('counts')
  @Public()
  @ApiOperation({
    summary: 'How many signatures are in each status (public; moderators see more)',
    description:
      'Current within about two seconds of a change. Moderators (and admins) get every status ' +
      '(`SignatureCounts`); everyone else, organisers included, gets `PublicSignatureCounts`, ' +
      'without `unconfirmed` and `expired`, whose `updatedAt` is the last change of one of its ' +
      'own fields. Nothing in it moves when a signature is created unconfirmed, is repeated, or ' +
      'expires unconfirmed, so knowing an address does not tell whether it signed (on a petition ' +
      'without email confirmation this cannot hold for someone signing with that address).',
  })
  @ApiExtraModels(SignatureCounts, PublicSignatureCounts)
  @ApiResponse({
    status: 200,
    schema: {
      anyOf: [
        { $ref: getSchemaPath(PublicSignatureCounts) },
        { $ref: getSchemaPath(SignatureCounts) },
      ],
    },
  })
  @ApiErrors('not_found', 'unauthorized')
  @Header('Content-Type', JSON_CONTENT_TYPE)
  counts(
    // The hottest read takes the request itself, not @Param() and @CurrentPrincipal(): Nest runs
    // each of those through the global validation pipe, a chain of promises that cost more than
    // the rest of this route's work, for a string and a principal that nothing validates.
    @Req() request: RequestWithPrincipal<{ idOrSlug: string }>,
  ): MaybePromise<string> {
    const { params, principal } = request;
    // The counts are cached for a second and shared by the reads meanwhile, and so is their JSON;
    // a read that finds both cached answers without a promise of its own.
    const counts = andThen(
      andThen(this.petitions.visibleId(params.idOrSlug, principal), (id) =>
        this.countsService.get(id),
      ),
      (both) => countsFor(both, principal),
    );
    return andThen(counts, (value) => this.countsJson.of(value));
  }

  @Get('counts/districts')
  @Public()
  @ApiOperation({
    summary: 'Verified signatures per district, largest first (public)',
    description:
      'Only districts with at least DISTRICT_MIN_COUNT verified signatures are listed; the rest ' +
      '(and signatures without a district) are summed in `otherVerified`.',
  })
  @ApiResponse({ status: 200, type: DistrictCountsResponse })
  @ApiErrors('not_found', 'unauthorized')
  async districts(
    @Param('idOrSlug') idOrSlug: string,
    @CurrentPrincipal() principal?: Principal,
  ): Promise<DistrictCountsResponse> {
    return this.countsService.districts(await this.petitions.visibleId(idOrSlug, principal));
  }
}
