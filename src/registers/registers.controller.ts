import { Body, Controller, Get, HttpCode, Post, Put, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import { AccountRole } from '../accounts/account-role.js';
import { CurrentPrincipal, Roles } from '../common/auth/auth.decorators.js';
import type { Principal } from '../common/auth/principal.js';
import { ApiErrors } from '../common/openapi/api-errors.decorator.js';
import { PageQueryDto } from '../common/pagination/page-query.dto.js';
import { ApiUpload } from '../common/upload/upload-docs.js';
import { UploadRoute } from '../common/upload/upload-route.js';
import { UuidParam } from '../common/validation/uuid-param.js';
import {
  CreateRegisterDto,
  RegisterEntryPageResponse,
  RegisterPageResponse,
  RegisterResponse,
  ReplaceEntriesBodyDto,
  ReplaceEntriesResponse,
} from './dto/register.dto.js';
import { RegistersService } from './registers.service.js';

@ApiTags('registers')
@ApiBearerAuth()
@Controller('v1/registers')
@Roles(AccountRole.Moderator)
export class RegistersController {
  constructor(private readonly registers: RegistersService) {}

  @Post()
  @HttpCode(201)
  @ApiOperation({ summary: 'Create an eligibility register, empty, at version 0 (moderator)' })
  @ApiResponse({ status: 201, type: RegisterResponse })
  @ApiErrors('validation_failed', 'malformed_json', 'unauthorized', 'forbidden')
  async create(
    @CurrentPrincipal() principal: Principal,
    @Body() dto: CreateRegisterDto,
  ): Promise<RegisterResponse> {
    return this.registers.create(principal, dto);
  }

  @Get()
  @ApiOperation({ summary: 'The registers, the most recently changed first (moderator)' })
  @ApiResponse({ status: 200, type: RegisterPageResponse })
  @ApiErrors('validation_failed', 'invalid_cursor', 'unauthorized', 'forbidden')
  async list(@Query() query: PageQueryDto): Promise<RegisterPageResponse> {
    return this.registers.list(query);
  }

  @Get(':id')
  @ApiOperation({ summary: 'A register and its current version (moderator)' })
  @ApiResponse({ status: 200, type: RegisterResponse })
  @ApiErrors('unauthorized', 'forbidden', 'not_found')
  async get(@UuidParam('id', 'Register') id: string): Promise<RegisterResponse> {
    return this.registers.get(id);
  }

  @Put(':id/entries')
  @UploadRoute()
  @ApiOperation({
    summary: 'Replace the entries as a new version (moderator)',
    description:
      '`text/csv` with the header `fullName,district,title,email` (fullName required, the ' +
      'others optional) or JSON `{entries: [...]}`; up to 200,000 rows. Good rows become the ' +
      'new version; bad rows are listed with their 1-based position among the data rows (a ' +
      'second row with the same email is refused as `duplicate_in_upload`). Emails are stored ' +
      'encrypted with a keyed index and shown back only masked.',
  })
  @ApiUpload(() => ReplaceEntriesBodyDto, { status: 200, type: () => ReplaceEntriesResponse })
  async replaceEntries(
    @UuidParam('id', 'Register') id: string,
    @Body() body: unknown,
  ): Promise<ReplaceEntriesResponse> {
    return this.registers.replaceEntries(id, body);
  }

  @Get(':id/entries')
  @ApiOperation({
    summary: 'The current version’s entries, in upload order, emails masked (moderator)',
  })
  @ApiResponse({ status: 200, type: RegisterEntryPageResponse })
  @ApiErrors('validation_failed', 'invalid_cursor', 'unauthorized', 'forbidden', 'not_found')
  async entries(
    @UuidParam('id', 'Register') id: string,
    @Query() query: PageQueryDto,
  ): Promise<RegisterEntryPageResponse> {
    return this.registers.listEntries(id, query);
  }
}
