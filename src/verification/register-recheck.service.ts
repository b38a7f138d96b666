import { Injectable, Logger } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { updateReturning } from '../database/update-returning.js';
import { SignatureActor, SignatureStatus } from '../signatures/signature-status.js';
import { SignatureTransitionsService } from '../signatures/signature-transitions.service.js';
import { type CheckResult, CheckOutcome } from './check.js';
import { loadSubjects, type StoredSubject } from './check-subjects.js';
import { EligibilityRegisterCheck } from './checks/eligibility-register.check.js';
import { decide } from './verification-decision.js';
import { VerificationService } from './verification.service.js';

const BATCH = 500;

export interface RecheckSummary {
  /** verified → needs_review: the new version no longer matches. */
  toReview: number;
  /** needs_review → verified: every check passes now. */
  verified: number;
  /** Still in review, with the check results brought up to date. */
  updated: number;
}

/**
 * When a register's entries change, the signatures of every petition that uses it are checked
 * against the new version. `pending` ones need nothing: their own job reads the register when it
 * runs. A `verified` signature that no longer matches goes back to review, with the reason on its
 * event; one in review that now passes every check is verified; the rest keep their status with
 * fresh check results, so moderators see what the new version says.
 */
@Injectable()
export class RegisterRecheckService {
  private readonly logger = new Logger(RegisterRecheckService.name);

  constructor(
    private readonly dataSource: DataSource,
    private readonly transitions: SignatureTransitionsService,
    private readonly verification: VerificationService,
    private readonly registerCheck: EligibilityRegisterCheck,
  ) {}

  async recheck(registerId: string): Promise<RecheckSummary> {
    const summary: RecheckSummary = { toReview: 0, verified: 0, updated: 0 };
    const [{ version }]: Array<{ version: number }> = await this.dataSource.query(
      `SELECT version FROM eligibility_registers WHERE id = $1`,
      [registerId],
    );
    const [{ started }]: Array<{ started: Date }> =
      await this.dataSource.query(`SELECT now() AS started`);
    await this.pass(registerId, summary, null);
    // A verification job that read the old version before the upload committed may have decided
    // a signature after the pass above went by it: look again at what changed meanwhile.
    await this.pass(registerId, summary, started);
    // The version read before the first batch: a newer one uploaded meanwhile gets its own job.
    await this.dataSource.query(
      `UPDATE eligibility_registers SET rechecked_version = greatest(rechecked_version, $2)
        WHERE id = $1`,
      [registerId, version],
    );
    this.logger.log({ msg: 'register change re-checked', registerId, version, ...summary });
    return summary;
  }

  private async pass(
    registerId: string,
    summary: RecheckSummary,
    changedSince: Date | null,
  ): Promise<void> {
    let after = '00000000-0000-0000-0000-000000000000';
    for (;;) {
      const subjects = await loadSubjects(
        this.dataSource,
        // In review and claimed: a moderator is looking at it, so it is theirs to decide.
        `p.register_id = $1 AND s.id > $2 AND (s.status = 'verified'
           OR (s.status = 'needs_review' AND NOT coalesce(s.claim_expires_at > now(), false)))
           AND ($3::timestamptz IS NULL OR s.updated_at >= $3)`,
        [registerId, after, changedSince],
        `ORDER BY s.id LIMIT ${BATCH}`,
      );
      if (subjects.length === 0) return;
      for (const subject of subjects) await this.recheckOne(subject, summary);
      after = subjects[subjects.length - 1].id;
    }
  }

  private async recheckOne(subject: StoredSubject, summary: RecheckSummary): Promise<void> {
    if (subject.status === SignatureStatus.Verified) {
      // Only a signature the register vouched for can stop matching; one a moderator verified
      // although it was never on the register stays as they decided.
      const before = subject.checks.find((c) => c.name === this.registerCheck.name);
      if (before && before.outcome !== CheckOutcome.Pass) return;
      const result: CheckResult = {
        name: this.registerCheck.name,
        ...(await this.registerCheck.run([subject]))[0],
      };
      if (result.outcome === CheckOutcome.Pass) return;
      const checks = replaceResult(subject.checks, result);
      const moved = await this.transitions.move({
        from: SignatureStatus.Verified,
        to: SignatureStatus.NeedsReview,
        actor: SignatureActor.System,
        reasonCode: 'register_changed',
        note: `The register changed: ${result.detail}`,
        items: [{ id: subject.id, checks, riskScore: decide(checks).riskScore }],
      });
      summary.toReview += moved.length;
      return;
    }
    const [checks] = await this.verification.runChecks([subject]);
    const decision = decide(checks);
    if (decision.to === SignatureStatus.Verified) {
      const moved = await this.transitions.move({
        from: SignatureStatus.NeedsReview,
        to: SignatureStatus.Verified,
        actor: SignatureActor.System,
        reasonCode: 'register_changed',
        note: 'The register changed, and every check passes now',
        items: [{ id: subject.id, checks, riskScore: decision.riskScore }],
      });
      summary.verified += moved.length;
      return;
    }
    // Still for a moderator (a fail is not applied here: a person is already looking at it).
    const updated = await updateReturning<{ id: string }>(
      this.dataSource,
      `UPDATE signatures SET checks = $2, risk_score = $3, updated_at = now()
        WHERE id = $1 AND status = 'needs_review' RETURNING id`,
      [subject.id, JSON.stringify(checks), decision.riskScore],
    );
    summary.updated += updated.length;
  }
}

function replaceResult(checks: CheckResult[], result: CheckResult): CheckResult[] {
  const others = checks.filter((c) => c.name !== result.name);
  return checks.some((c) => c.name === result.name)
    ? checks.map((c) => (c.name === result.name ? result : c))
    : [...others, result];
}
