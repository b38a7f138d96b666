import { SignatureStatus } from '../signatures/signature-status.js';
import { type CheckResult, CheckOutcome } from './check.js';
import { decide } from './verification-decision.js';

const passed = (name: string): CheckResult => ({
  name,
  outcome: CheckOutcome.Pass,
  detail: 'ok',
  risk: 0,
});
const reviewed = (name: string, risk: number): CheckResult => ({
  name,
  outcome: CheckOutcome.Review,
  detail: 'odd',
  risk,
});
const failed = (name: string, reasonCode: string): CheckResult => ({
  name,
  outcome: CheckOutcome.Fail,
  detail: 'bad',
  risk: 100,
  reasonCode,
});

describe('decide', () => {
  it('verifies with no risk when every check passes', () => {
    expect(decide([passed('a'), passed('b')])).toEqual({
      to: SignatureStatus.Verified,
      reasonCode: null,
      riskScore: 0,
    });
  });

  it('sends any review to a moderator with the summed risk', () => {
    expect(decide([passed('a'), reviewed('b', 30), reviewed('c', 25)])).toEqual({
      to: SignatureStatus.NeedsReview,
      reasonCode: null,
      riskScore: 55,
    });
  });

  it('rejects on any fail with the first fail’s reason code, even after reviews', () => {
    expect(
      decide([reviewed('a', 30), failed('b', 'fake_name'), failed('c', 'duplicate'), passed('d')]),
    ).toEqual({ to: SignatureStatus.Rejected, reasonCode: 'fake_name', riskScore: 100 });
  });

  it('caps the risk score at 100', () => {
    expect(decide([reviewed('a', 60), reviewed('b', 70)]).riskScore).toBe(100);
    expect(decide([reviewed('a', 60), reviewed('b', 40)]).riskScore).toBe(100);
    expect(decide([reviewed('a', 60), reviewed('b', 39)]).riskScore).toBe(99);
  });

  it('verifies an empty result list', () => {
    expect(decide([]).to).toBe(SignatureStatus.Verified);
  });
});
