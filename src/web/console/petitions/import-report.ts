import { randomBytes } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { plainToInstance } from 'class-transformer';
import { validateSync } from 'class-validator';
import { readUploadRows, type RowError } from '../../../common/upload/row-upload.js';
import {
  toValidationIssues,
  type ValidationIssue,
} from '../../../common/validation/validation-issues.js';
import { ImportRowDto } from '../../../signatures/dto/import.dto.js';
import { SIGNER_FIELD_LIMITS } from '../../../signatures/dto/signature-fields.js';
import { IMPORT_MAX_ROWS, IMPORT_SHAPE } from '../../../signatures/import.service.js';
import type { Speech } from '../../i18n/messages.js';

/**
 * Why one row was not imported, in words any language can say: the service's row code, and for
 * a row that failed validation, each field's rule (read again with the service's own DTO).
 */
export interface RowProblem {
  row: number;
  code: string;
  /** The API's English message, for a problem this page has no words of its own for. */
  message: string;
  issues: Array<Pick<ValidationIssue, 'field' | 'rule' | 'limit'>>;
  extraCells: boolean;
}

/**
 * Structures the service's bad rows. The file is read again with the same shape and DTO the
 * service used, so each problem can be worded field by field in the reader's language.
 */
export function rowProblems(csv: string, rejected: RowError[]): RowProblem[] {
  if (rejected.length === 0) return [];
  const rows = readUploadRows(csv, IMPORT_SHAPE);
  return rejected.map((error): RowProblem => {
    const base = { row: error.row, code: error.code, message: error.message };
    const raw = rows[error.row - 1];
    if (error.code !== 'validation_failed' || raw === null || typeof raw !== 'object') {
      return { ...base, issues: [], extraCells: false };
    }
    if ('__extraCells' in raw) return { ...base, issues: [], extraCells: true };
    const problems = validateSync(plainToInstance(ImportRowDto, raw), {
      whitelist: true,
      forbidNonWhitelisted: true,
    });
    const issues = toValidationIssues(problems).map(({ field, rule, limit }) => ({
      field,
      rule,
      limit,
    }));
    return { ...base, issues, extraCells: false };
  });
}

/** One bad row's problem in the page's language. */
export function wordRowProblem(problem: RowProblem, s: Speech): string {
  const t = s.t.consolePetitions.import;
  if (problem.code === 'duplicate_in_upload') return t.duplicateInUpload;
  if (problem.extraCells) return t.extraCells;
  if (problem.issues.length === 0) return problem.message;
  return problem.issues
    .map((issue) => {
      const label = t.columns[issue.field] ?? issue.field;
      switch (issue.rule) {
        case 'required':
          return s.t.validation.required(label);
        case 'tooLong': {
          const limits = SIGNER_FIELD_LIMITS as Record<string, { maxLength: number }>;
          return s.t.validation.tooLong(
            label,
            s.f,
            issue.limit ?? limits[issue.field]?.maxLength ?? 200,
          );
        }
        case 'email':
          return s.t.validation.email(label);
        default:
          return s.t.validation.invalid(label);
      }
    })
    .join('; ');
}

/** A whole file refused before any row was read. */
export type FileProblem =
  | { kind: 'required' | 'empty' | 'notUtf8' | 'missingColumn' | 'tooMany' | 'unreadable' }
  | { kind: 'unknownColumn'; column: string };

const STRICT_UTF8 = new TextDecoder('utf-8', { fatal: true });

/**
 * The uploaded file as text, or why it cannot be. A spreadsheet saved in a legacy encoding
 * (Windows-1251 is common) would otherwise come through as mojibake names.
 */
export function uploadedCsv(file: unknown): { csv: string } | { problem: FileProblem } {
  if (!Buffer.isBuffer(file) || file.length === 0) return { problem: { kind: 'required' } };
  let text: string;
  try {
    text = STRICT_UTF8.decode(file);
  } catch {
    return { problem: { kind: 'notUtf8' } };
  }
  // PostgreSQL text cannot hold U+0000, and no real CSV has one.
  if (text.includes('\0')) return { problem: { kind: 'unreadable' } };
  if (text.replace(/^\uFEFF/, '').trim() === '') return { problem: { kind: 'empty' } };
  return { csv: text };
}

/** What a whole-file refusal from the service means, from its message (see row-upload.ts). */
export function fileProblemOf(message: string): FileProblem {
  const unknown = /^unknown CSV column "(.*)"; expected /.exec(message);
  if (unknown) return { kind: 'unknownColumn', column: unknown[1] };
  if (message.startsWith('the CSV header must name the column')) return { kind: 'missingColumn' };
  if (message.startsWith('the CSV is empty')) return { kind: 'empty' };
  if (/^at most \d+ rows may be sent at once/.test(message)) return { kind: 'tooMany' };
  return { kind: 'unreadable' };
}

export function wordFileProblem(problem: FileProblem, s: Speech): string {
  const t = s.t.consolePetitions.import;
  switch (problem.kind) {
    case 'required':
      return t.fileRequired;
    case 'empty':
      return t.fileEmpty;
    case 'notUtf8':
      return t.notUtf8;
    case 'missingColumn':
      return t.missingColumn;
    case 'tooMany':
      return t.tooMany(s.f, IMPORT_MAX_ROWS);
    case 'unknownColumn':
      return t.unknownColumn(problem.column.slice(0, 60));
    default:
      return t.unreadable;
  }
}

/** An import's outcome, kept for the page the browser is sent to after the upload. */
export interface ImportReport {
  accountId: string;
  petitionId: string;
  accepted: number;
  rejected: RowProblem[];
}

const REPORT_TTL_MS = 30 * 60_000;
const MAX_REPORTS = 200;
/** Bad rows held across all reports; past it, the oldest reports go first. */
const MAX_ROWS_HELD = 200_000;

/**
 * Import outcomes, held briefly in this process so the upload can answer with a redirect
 * (Post/Redirect/Get: reloading the result must not import the file again). A report holds row
 * numbers and rule names, never a cell's value. It is read only by the account that made it;
 * on another replica, or after half an hour, the page says the report is gone (the rows it
 * imported are in the counts either way).
 */
@Injectable()
export class ImportReports {
  private readonly reports = new Map<string, { until: number; report: ImportReport }>();

  keep(report: ImportReport): string {
    this.prune();
    const id = randomBytes(16).toString('base64url');
    this.reports.set(id, { until: Date.now() + REPORT_TTL_MS, report });
    return id;
  }

  find(id: string, accountId: string, petitionId: string): ImportReport | null {
    const held = this.reports.get(id);
    if (!held || held.until <= Date.now()) return null;
    const { report } = held;
    return report.accountId === accountId && report.petitionId === petitionId ? report : null;
  }

  private prune(): void {
    const now = Date.now();
    let rows = 0;
    for (const [id, held] of this.reports) {
      if (held.until <= now) this.reports.delete(id);
      else rows += held.report.rejected.length;
    }
    // Map iteration is in insertion order: the oldest reports go first.
    for (const [id, held] of this.reports) {
      if (this.reports.size < MAX_REPORTS && rows <= MAX_ROWS_HELD) break;
      rows -= held.report.rejected.length;
      this.reports.delete(id);
    }
  }
}
