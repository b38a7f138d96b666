import { Controller, Get, Req, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiProduces, ApiResponse, ApiTags } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { OwnBearerToken, Public } from '../common/auth/auth.decorators.js';
import { DomainError } from '../common/errors/domain-error.js';
import { ApiErrors } from '../common/openapi/api-errors.decorator.js';
import { METRICS_REFUSALS, metricsAccess } from '../common/metrics/metrics-access.js';
import { Metrics } from '../common/metrics/metrics.js';
import { AppConfig } from '../config/app-config.js';

@ApiTags('operations')
@Controller('metrics')
export class MetricsController {
  constructor(
    private readonly metrics: Metrics,
    private readonly config: AppConfig,
  ) {}

  @Get()
  @Public()
  @OwnBearerToken()
  @ApiBearerAuth()
  @ApiOperation({
    summary: 'Prometheus metrics',
    description:
      'The Prometheus text format. With METRICS_TOKEN set, only for `Authorization: Bearer <METRICS_TOKEN>` ' +
      '(401 otherwise); without it, only for callers on this machine that did not come through a proxy ' +
      '(403 otherwise). See the README for the metric names.',
  })
  @ApiProduces('text/plain')
  @ApiResponse({ status: 200, description: 'text/plain; version=0.0.4', type: String })
  @ApiErrors('unauthorized', 'forbidden')
  async scrape(
    @Req() request: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<string> {
    const access = metricsAccess(
      request.headers,
      request.socket.remoteAddress,
      this.config.metricsTokenHash,
    );
    if (access === 'unauthorized') {
      void reply.header('www-authenticate', 'Bearer');
      throw new DomainError('unauthorized', METRICS_REFUSALS.unauthorized.message);
    }
    if (access === 'forbidden')
      throw new DomainError('forbidden', METRICS_REFUSALS.forbidden.message);
    const text = await this.metrics.render();
    void reply.header('content-type', this.metrics.contentType).header('cache-control', 'no-store');
    return text;
  }
}
