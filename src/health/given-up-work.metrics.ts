import { Injectable, type OnModuleInit } from '@nestjs/common';
import { Metrics } from '../common/metrics/metrics.js';
import { SIGNATURE_WORKS, WorkRevivalsRepository } from '../signatures/work-revivals.repository.js';

/** Reads how many signatures' work was given up from PostgreSQL when the metrics are scraped. */
@Injectable()
export class GivenUpWorkMetrics implements OnModuleInit {
  constructor(
    private readonly metrics: Metrics,
    private readonly revivals: WorkRevivalsRepository,
  ) {}

  onModuleInit(): void {
    this.metrics.onScrape(() => this.read());
  }

  private async read(): Promise<void> {
    const counts = await this.revivals.givenUpCounts().catch(() => null);
    const gauge = this.metrics.signaturesGivenUp;
    gauge.reset();
    if (counts === null) return; // the database is down: /health says so
    for (const work of SIGNATURE_WORKS) {
      gauge.set({ work }, counts.find((c) => c.work === work)?.count ?? 0);
    }
  }
}
