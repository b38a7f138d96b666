import { Controller, Get, Param, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { Public } from '../common/auth/auth.decorators.js';
import { DomainError } from '../common/errors/domain-error.js';
import { ASSETS_BY_PATH } from './assets.js';

/** The stylesheet and the script, under names that change with their content: cached for good. */
@ApiExcludeController()
@Controller('assets')
@Public()
export class AssetsController {
  @Get(':name')
  asset(@Param('name') name: string, @Res() reply: FastifyReply): void {
    const asset = ASSETS_BY_PATH.get(`/assets/${name}`);
    if (!asset) throw DomainError.notFound('Asset');
    void reply
      .header('content-type', asset.contentType)
      .header('cache-control', 'public, max-age=31536000, immutable')
      .header('x-content-type-options', 'nosniff')
      .header('cross-origin-resource-policy', 'same-origin')
      .send(asset.body);
  }
}
