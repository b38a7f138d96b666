import { DomainError } from '../common/errors/domain-error.js';
import { INVALIDATABLE_STATUSES, type InvalidationCriteriaDto } from './dto/invalidation.dto.js';

/** Criteria as stored with an invalidation (JSON), so the job matches exactly what was approved. */
export interface StoredCriteria {
  emailDomain?: string;
  sameSourceAs?: string;
  fullNamePattern?: string;
  district?: string;
  createdFrom?: string;
  createdTo?: string;
  statuses: string[];
  /**
   * When it was requested: only signatures made by then are matched, so the job rejects what was
   * counted and approved, not whatever arrives while it waits or runs.
   */
  requestedAt: string;
}

export function storeCriteria(dto: InvalidationCriteriaDto): StoredCriteria {
  const narrowing = [
    dto.emailDomain,
    dto.sameSourceAs,
    dto.fullNamePattern,
    dto.district,
    dto.createdFrom,
    dto.createdTo,
  ].filter((value) => value !== undefined);
  if (narrowing.length === 0) {
    throw new DomainError('validation_failed', 'criteria: give at least one besides statuses', [
      { field: 'criteria', message: 'give at least one criterion besides statuses' },
    ]);
  }
  return {
    emailDomain: dto.emailDomain?.toLowerCase(),
    sameSourceAs: dto.sameSourceAs,
    fullNamePattern: dto.fullNamePattern,
    district: dto.district,
    createdFrom: dto.createdFrom,
    createdTo: dto.createdTo,
    statuses: dto.statuses ? [...new Set(dto.statuses)] : [...INVALIDATABLE_STATUSES],
    requestedAt: new Date().toISOString(),
  };
}

/** `Test*` → `Test%`, with the LIKE wildcards `%` and `_` taken literally. */
function likePattern(glob: string): string {
  return glob.replace(/[\\%_]/g, (c) => `\\${c}`).replace(/\*/g, '%');
}

/**
 * The WHERE clause (over `signatures s`) that a set of criteria means, with its parameters
 * numbered from `first`. Column names are fixed; every value is a parameter.
 */
export function criteriaSql(
  petitionId: string,
  criteria: StoredCriteria,
  first = 1,
): { where: string; params: unknown[] } {
  const params: unknown[] = [];
  const param = (value: unknown): string => {
    params.push(value);
    return `$${first + params.length - 1}`;
  };
  const petition = param(petitionId);
  const clauses = [
    `s.petition_id = ${petition}`,
    `s.status = ANY(${param(criteria.statuses)}::text[])`,
    `s.created_at <= ${param(criteria.requestedAt)}::timestamptz`,
  ];
  if (criteria.emailDomain !== undefined)
    clauses.push(`s.email_domain = ${param(criteria.emailDomain)}`);
  if (criteria.sameSourceAs !== undefined) {
    clauses.push(
      // Only a signature of the same petition names a source: never an overlap across petitions.
      `s.source_index = (SELECT source_index FROM signatures
                          WHERE id = ${param(criteria.sameSourceAs)} AND petition_id = ${petition})`,
    );
  }
  if (criteria.fullNamePattern !== undefined) {
    clauses.push(`s.full_name ILIKE ${param(likePattern(criteria.fullNamePattern))}`);
  }
  if (criteria.district !== undefined) {
    clauses.push(`lower(btrim(s.district)) = lower(${param(criteria.district)})`);
  }
  if (criteria.createdFrom !== undefined)
    clauses.push(`s.created_at >= ${param(criteria.createdFrom)}::timestamptz`);
  if (criteria.createdTo !== undefined)
    clauses.push(`s.created_at < ${param(criteria.createdTo)}::timestamptz`);
  return { where: clauses.join(' AND '), params };
}
