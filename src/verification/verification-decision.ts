import { SignatureStatus } from '../signatures/signature-status.js';
import { type CheckResult, CheckOutcome } from './check.js';

export interface Decision {
  to: SignatureStatus.Verified | SignatureStatus.NeedsReview | SignatureStatus.Rejected;
  reasonCode: string | null;
  /** 0..100: the sum of what each check that was not a pass added, capped. */
  riskScore: number;
}

/** All pass → verified; any fail → rejected with the first fail's reason; else → needs_review. */
export function decide(results: readonly CheckResult[]): Decision {
  const riskScore = Math.min(
    100,
    results.reduce((sum, result) => sum + result.risk, 0),
  );
  const failed = results.find((result) => result.outcome === CheckOutcome.Fail);
  if (failed) {
    return { to: SignatureStatus.Rejected, reasonCode: failed.reasonCode ?? 'other', riskScore };
  }
  if (results.some((result) => result.outcome === CheckOutcome.Review)) {
    return { to: SignatureStatus.NeedsReview, reasonCode: null, riskScore };
  }
  return { to: SignatureStatus.Verified, reasonCode: null, riskScore };
}
