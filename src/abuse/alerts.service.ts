import { Injectable, Logger } from '@nestjs/common';
import type { Principal } from '../common/auth/principal.js';
import { DomainError } from '../common/errors/domain-error.js';
import { Metrics } from '../common/metrics/metrics.js';
import { decodeCursor, type Page, toPage } from '../common/pagination/cursor.js';
import { AppConfig } from '../config/app-config.js';
import { type AlertRow, AlertsRepository, type AlertStatus } from './alerts.repository.js';
import type { AlertResponse } from './dto/alert.dto.js';

export interface AlertListFilter {
  status?: AlertStatus;
  petitionId?: string;
  limit: number;
  cursor?: string;
}

/**
 * Trending alerts: a repeating job (every TRENDING_INTERVAL_SECONDS) raises one when a source or
 * an email domain brings at least TRENDING_THRESHOLD signatures to an open petition within an
 * hour, at most once per hour for each (see AlertsRepository.raiseTrending). Moderators list and
 * acknowledge them, and may block what they name.
 */
@Injectable()
export class AlertsService {
  private readonly logger = new Logger(AlertsService.name);

  constructor(
    private readonly alerts: AlertsRepository,
    private readonly config: AppConfig,
    private readonly metrics: Metrics,
  ) {}

  /** The job's work. Safe on any number of workers at once, and to run again at any time. */
  async detectTrending(): Promise<{ raised: number }> {
    const raised = await this.alerts.raiseTrending(this.config.trendingThreshold);
    for (const { kind } of raised) this.metrics.alertsRaised.labels(kind).inc();
    if (raised.length > 0) {
      this.logger.log({
        msg: 'trending alerts raised',
        alertIds: raised.map((alert) => alert.id),
        threshold: this.config.trendingThreshold,
      });
    }
    return { raised: raised.length };
  }

  async list(filter: AlertListFilter): Promise<Page<AlertResponse>> {
    const rows = await this.alerts.list({
      status: filter.status ?? 'open',
      petitionId: filter.petitionId,
      after: filter.cursor ? decodeCursor(filter.cursor) : null,
      limit: filter.limit + 1,
    });
    return toPage(
      rows,
      filter.limit,
      (row) => ({ at: row.raised_at.toISOString(), id: row.id }),
      present,
    );
  }

  async get(id: string): Promise<AlertResponse> {
    return present(await this.find(id));
  }

  /** Twice is fine: the alert keeps its first acknowledgement, and the answer says whose. */
  async acknowledge(moderator: Principal, id: string): Promise<AlertResponse> {
    if (await this.alerts.acknowledge(id, moderator.id)) {
      this.logger.log({ msg: 'alert acknowledged', alertId: id, moderatorId: moderator.id });
    }
    return present(await this.find(id));
  }

  private async find(id: string): Promise<AlertRow> {
    const row = await this.alerts.find(id);
    if (!row) throw DomainError.notFound('Alert');
    return row;
  }
}

function present(row: AlertRow): AlertResponse {
  return {
    id: row.id,
    petitionId: row.petition_id,
    kind: row.kind,
    value: (row.kind === 'email_domain' ? row.email_domain : row.source_signature_id) ?? '',
    count: row.count,
    windowStart: row.window_start.toISOString(),
    windowEnd: row.window_end.toISOString(),
    raisedAt: row.raised_at.toISOString(),
    acknowledgedBy: row.acknowledged_by,
    acknowledgedAt: row.acknowledged_at?.toISOString() ?? null,
  };
}
