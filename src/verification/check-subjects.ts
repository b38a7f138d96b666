import type { DataSource, EntityManager } from 'typeorm';
import type { Eligibility } from '../petitions/petition-status.js';
import type { SignatureStatus } from '../signatures/signature-status.js';
import type { CheckResult, CheckSubject } from './check.js';

interface SubjectRow {
  id: string;
  petition_id: string;
  email_index: Buffer | null;
  origin: 'public' | 'import';
  full_name: string;
  name_key: string;
  district: string | null;
  title: string | null;
  email_domain: string | null;
  source_index: Buffer | null;
  source_global_encrypted: Buffer | null;
  created_at: Date;
  invitation_id: string | null;
  status: SignatureStatus;
  checks: CheckResult[] | null;
  register_id: string | null;
  eligibility: Eligibility;
}

/** A subject, with the signature's status and last check results. */
export interface StoredSubject extends CheckSubject {
  status: SignatureStatus;
  checks: CheckResult[];
}

/** The signatures (`s`, joined with their petition `p`) that `where` selects, as check subjects. */
export async function loadSubjects(
  db: DataSource | EntityManager,
  where: string,
  params: unknown[],
  suffix = '',
): Promise<StoredSubject[]> {
  const rows: SubjectRow[] = await db.query(
    `SELECT s.id, s.petition_id, s.email_index, s.origin, s.full_name, s.name_key, s.district,
            s.title, s.email_domain, s.source_index, s.source_global_encrypted, s.created_at,
            s.status, s.checks, s.invitation_id,
            p.register_id, p.eligibility
       FROM signatures s JOIN petitions p ON p.id = s.petition_id
      WHERE ${where} ${suffix}`,
    params,
  );
  return rows.map((row) => ({
    id: row.id,
    petitionId: row.petition_id,
    emailIndex: row.email_index,
    origin: row.origin,
    fullName: row.full_name,
    nameKey: row.name_key,
    district: row.district,
    title: row.title,
    emailDomain: row.email_domain,
    sourceIndex: row.source_index,
    sourceGlobalEncrypted: row.source_global_encrypted,
    createdAt: row.created_at,
    invitationId: row.invitation_id,
    status: row.status,
    checks: row.checks ?? [],
    petition: { registerId: row.register_id, eligibility: row.eligibility },
  }));
}
