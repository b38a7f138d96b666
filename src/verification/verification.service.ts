import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { SignatureActor, SignatureStatus } from '../signatures/signature-status.js';
import { SignatureTransitionsService } from '../signatures/signature-transitions.service.js';
import type { CheckResult, CheckSubject, SignatureCheck } from './check.js';
import { loadSubjects } from './check-subjects.js';
import { DistrictCanonicaliser } from './district-canonicaliser.js';
import { decide } from './verification-decision.js';

export const SIGNATURE_CHECKS = Symbol('SignatureChecks');

export interface VerificationOutcome {
  id: string;
  status: SignatureStatus;
}

/** Runs every automated check on pending signatures and moves each to its decision. */
@Injectable()
export class VerificationService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly transitions: SignatureTransitionsService,
    @Inject(SIGNATURE_CHECKS) private readonly checks: SignatureCheck[],
    private readonly districts: DistrictCanonicaliser,
  ) {}

  /**
   * Idempotent: signatures no longer `pending` are skipped, and a signature that moved on while
   * its checks ran keeps its new status. Returns what was decided.
   */
  async verify(signatureIds: string[]): Promise<VerificationOutcome[]> {
    const subjects = await loadSubjects(
      this.dataSource,
      `s.id = ANY($1::uuid[]) AND s.status = 'pending'`,
      [signatureIds],
    );
    await this.districts.canonicalise(subjects);
    const results = await this.runChecks(subjects);
    const decided = subjects.map((subject, i) => ({
      id: subject.id,
      results: results[i],
      decision: decide(results[i]),
    }));

    const outcomes: VerificationOutcome[] = [];
    const groups = new Map<string, typeof decided>();
    for (const d of decided) {
      const key = `${d.decision.to}\0${d.decision.reasonCode ?? ''}`;
      groups.set(key, [...(groups.get(key) ?? []), d]);
    }
    for (const group of groups.values()) {
      const { to, reasonCode } = group[0].decision;
      const moved = await this.transitions.move({
        from: SignatureStatus.Pending,
        to,
        actor: SignatureActor.System,
        reasonCode,
        items: group.map((d) => ({ id: d.id, checks: d.results, riskScore: d.decision.riskScore })),
      });
      outcomes.push(...moved.map((m) => ({ id: m.id, status: to })));
    }
    return outcomes;
  }

  /** Every check's results for each subject, in order; the checks run side by side. */
  async runChecks(subjects: readonly CheckSubject[]): Promise<CheckResult[][]> {
    if (subjects.length === 0) return [];
    const verdicts = await Promise.all(this.checks.map((check) => check.run(subjects)));
    return subjects.map((_, i) =>
      this.checks.map((check, c) => ({ name: check.name, ...verdicts[c][i] })),
    );
  }
}
