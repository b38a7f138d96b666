import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { Eligibility } from '../petitions/petition-status.js';
import { SignatureActor, SignatureStatus } from '../signatures/signature-status.js';
import { SignatureTransitionsService } from '../signatures/signature-transitions.service.js';
import type { CheckResult, CheckSubject, SignatureCheck } from './check.js';
import { decide } from './verification-decision.js';

export const SIGNATURE_CHECKS = Symbol('SignatureChecks');

interface SubjectRow {
  id: string;
  petition_id: string;
  signatory_id: string | null;
  origin: 'public' | 'import';
  full_name: string;
  name_key: string;
  district: string | null;
  title: string | null;
  email_domain: string | null;
  source_index: Buffer | null;
  created_at: Date;
  register_id: string | null;
  eligibility: Eligibility;
}

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
  ) {}

  /**
   * Idempotent: signatures no longer `pending` are skipped, and a signature that moved on while
   * its checks ran keeps its new status. Returns what was decided.
   */
  async verify(signatureIds: string[]): Promise<VerificationOutcome[]> {
    const rows: SubjectRow[] = await this.dataSource.query(
      `SELECT s.id, s.petition_id, s.signatory_id, s.origin, s.full_name, s.name_key, s.district,
              s.title, s.email_domain, s.source_index, s.created_at, p.register_id, p.eligibility
         FROM signatures s JOIN petitions p ON p.id = s.petition_id
        WHERE s.id = ANY($1::uuid[]) AND s.status = 'pending'`,
      [signatureIds],
    );
    const decided = await Promise.all(
      rows.map(async (row) => {
        const results = await this.runChecks(toSubject(row));
        return { id: row.id, results, decision: decide(results) };
      }),
    );

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

  private runChecks(subject: CheckSubject): Promise<CheckResult[]> {
    return Promise.all(
      this.checks.map(async (check) => ({ name: check.name, ...(await check.run(subject)) })),
    );
  }
}

function toSubject(row: SubjectRow): CheckSubject {
  return {
    id: row.id,
    petitionId: row.petition_id,
    signatoryId: row.signatory_id,
    origin: row.origin,
    fullName: row.full_name,
    nameKey: row.name_key,
    district: row.district,
    title: row.title,
    emailDomain: row.email_domain,
    sourceIndex: row.source_index,
    createdAt: row.created_at,
    petition: { registerId: row.register_id, eligibility: row.eligibility },
  };
}
