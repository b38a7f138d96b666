import { Body, Controller, Delete, Get, HttpCode, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import { AccountRole } from '../accounts/account-role.js';
import { CurrentPrincipal, Roles } from '../common/auth/auth.decorators.js';
import type { Principal } from '../common/auth/principal.js';
import { ApiErrors } from '../common/openapi/api-errors.decorator.js';
import { UuidParam } from '../common/validation/uuid-param.js';
import { BlocksService } from './blocks.service.js';
import {
  BlockListQuery,
  BlockPageResponse,
  BlockResponse,
  CreateBlockDto,
} from './dto/block.dto.js';

@ApiTags('moderation')
@ApiBearerAuth()
@Controller('v1/moderation/blocks')
@Roles(AccountRole.Moderator)
export class BlocksController {
  constructor(private readonly blocks: BlocksService) {}

  @Post()
  @HttpCode(201)
  @ApiOperation({
    summary: 'Block an email domain or a source (moderator)',
    description:
      'Signatures checked from now on that match are rejected (with `reasonCode`, default ' +
      '`fraudulent`) or sent to review, by the automated checks; signatures already decided ' +
      'stay as they are (a bulk invalidation changes those). The sign endpoint answers a ' +
      'blocked sender exactly as any other (202), so the sender learns nothing. When several ' +
      'blocks match, a rejection wins over a review, then a petition’s own block over a global ' +
      'one. The check’s detail names the block by id and value, never an IP. A `source` value ' +
      'must name a signature with a recorded source (400 otherwise; 404 when there is no such ' +
      'signature); the block stores only that source’s keyed hash.',
  })
  @ApiResponse({ status: 201, type: BlockResponse })
  @ApiErrors('validation_failed', 'malformed_json', 'unauthorized', 'forbidden', 'not_found')
  async create(
    @CurrentPrincipal() principal: Principal,
    @Body() dto: CreateBlockDto,
  ): Promise<BlockResponse> {
    return this.blocks.create(principal, dto);
  }

  @Get()
  @ApiOperation({
    summary: 'Blocks, newest first (moderator)',
    description:
      'Those in force by default; `?status=removed` (with who removed them and when), ' +
      '`expired` or `all` shows the others.',
  })
  @ApiResponse({ status: 200, type: BlockPageResponse })
  @ApiErrors('validation_failed', 'invalid_cursor', 'unauthorized', 'forbidden')
  async list(@Query() query: BlockListQuery): Promise<BlockPageResponse> {
    return this.blocks.list(query);
  }

  @Get(':id')
  @ApiOperation({ summary: 'One block, in force or not (moderator)' })
  @ApiResponse({ status: 200, type: BlockResponse })
  @ApiErrors('unauthorized', 'forbidden', 'not_found')
  async get(@UuidParam('id', 'Block') id: string): Promise<BlockResponse> {
    return this.blocks.get(id);
  }

  @Delete(':id')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Remove a block (moderator)',
    description:
      'It stops applying at once and is kept, with `removedBy` and `removedAt`. Removing it ' +
      'again changes nothing and answers the block as it is (200).',
  })
  @ApiResponse({ status: 200, type: BlockResponse })
  @ApiErrors('unauthorized', 'forbidden', 'not_found')
  async remove(
    @CurrentPrincipal() principal: Principal,
    @UuidParam('id', 'Block') id: string,
  ): Promise<BlockResponse> {
    return this.blocks.remove(principal, id);
  }
}
