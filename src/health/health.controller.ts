import { Controller, Get, Res } from '@nestjs/common';
import { ApiOperation, ApiProperty, ApiResponse, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { Public } from '../common/auth/auth.decorators.js';
import { HealthService } from './health.service.js';

class HealthChecks {
  @ApiProperty({ enum: ['up', 'down'] }) database!: string;
  @ApiProperty({ enum: ['up', 'down'] }) redis!: string;
}

class HealthWarningResponse {
  @ApiProperty({ enum: ['signature_work_given_up'] }) code!: string;
  @ApiProperty({ enum: ['verification', 'mail'] }) work!: string;
  @ApiProperty({ description: 'Signatures concerned' }) count!: number;
  @ApiProperty({ format: 'date-time', description: 'When the oldest of them was given up' })
  since!: string;
  @ApiProperty() message!: string;
}

class HealthResponse {
  @ApiProperty({ enum: ['ok', 'error'] }) status!: string;
  @ApiProperty({ type: HealthChecks }) checks!: HealthChecks;
  @ApiProperty({
    type: [HealthWarningResponse],
    description: 'What an operator should look at that is not an outage (empty when all is well)',
  })
  warnings!: HealthWarningResponse[];
}

@ApiTags('operations')
@Controller('health')
export class HealthController {
  constructor(private readonly health: HealthService) {}

  @Get()
  @Public()
  @ApiOperation({ summary: 'Liveness and dependencies: PostgreSQL and Redis' })
  @ApiResponse({ status: 200, type: HealthResponse })
  @ApiResponse({
    status: 503,
    description: 'code: service_unavailable; `checks` names what is down',
  })
  async check(@Res({ passthrough: true }) reply: FastifyReply): Promise<object> {
    const [checks, warnings] = await Promise.all([this.health.check(), this.health.warnings()]);
    const down = Object.entries(checks)
      .filter(([, state]) => state === 'down')
      .map(([name]) => name);
    if (down.length === 0) return { status: 'ok', checks, warnings };
    void reply.status(503);
    return {
      statusCode: 503,
      code: 'service_unavailable',
      message: `${down.join(' and ')} ${down.length > 1 ? 'are' : 'is'} down`,
      details: down.map((name) => ({ field: name, message: 'not answering' })),
      status: 'error',
      checks,
      warnings,
    };
  }
}
