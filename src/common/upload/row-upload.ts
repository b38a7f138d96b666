import { plainToInstance } from 'class-transformer';
import type { ClassConstructor } from 'class-transformer';
import { validateSync } from 'class-validator';
import { parse } from 'csv-parse/sync';
import { DomainError } from '../errors/domain-error.js';
import { flattenValidationErrors } from '../validation/validation.pipe.js';

export interface RowUploadShape {
  /** The key holding the rows in a JSON body: `{signatures: [...]}`. */
  jsonKey: string;
  /** The columns a CSV header may name (and the fields a JSON row may have). */
  columns: readonly string[];
  /** The one column every CSV header must name. */
  requiredColumn: string;
  maxRows: number;
}

/** A row the upload refused, numbered from 1 among the data rows (a CSV header is not counted). */
export interface RowError {
  row: number;
  code: string;
  message: string;
}

/**
 * The rows of an upload sent either as JSON (`{<jsonKey>: [{...}, ...]}`) or as `text/csv` with a
 * header row. A body that is not one of these, an unknown CSV column or too many rows refuses the
 * whole upload (400) before anything is written; problems with single rows are reported per row.
 */
export function readUploadRows(body: unknown, shape: RowUploadShape): unknown[] {
  const rows = typeof body === 'string' ? readCsv(body, shape) : readJson(body, shape);
  if (rows.length > shape.maxRows) {
    throw invalid(shape.jsonKey, `at most ${shape.maxRows} rows may be sent at once (got more)`);
  }
  return rows;
}

function readJson(body: unknown, shape: RowUploadShape): unknown[] {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw invalid('', `the body must be {"${shape.jsonKey}": [...]} or text/csv`);
  }
  const unknown = Object.keys(body).filter((key) => key !== shape.jsonKey);
  if (unknown.length > 0) throw invalid(unknown[0], 'unknown field');
  const rows = (body as Record<string, unknown>)[shape.jsonKey];
  if (!Array.isArray(rows)) throw invalid(shape.jsonKey, 'must be an array');
  return rows;
}

function readCsv(text: string, shape: RowUploadShape): unknown[] {
  let records: string[][];
  try {
    records = parse(text, {
      bom: true,
      skip_empty_lines: true,
      relax_column_count: true,
      trim: true,
      // The header, the allowed rows and one more, which is enough to refuse a file that is too
      // long without parsing all of it.
      to: shape.maxRows + 2,
    }) as string[][];
  } catch (error) {
    // csv-parse's message can quote a cell; say only where and what kind of problem.
    const { code, lines } = error as { code?: string; lines?: number };
    throw invalid(
      '',
      `the CSV could not be read (${code ?? 'parse error'} at line ${lines ?? '?'})`,
    );
  }
  if (records.length === 0) throw invalid('', 'the CSV is empty: a header row is required');
  const [header, ...data] = records;
  const unknown = header.filter((name) => !shape.columns.includes(name));
  if (unknown.length > 0) {
    throw invalid('', `unknown CSV column "${unknown[0]}"; expected ${shape.columns.join(', ')}`);
  }
  if (!header.includes(shape.requiredColumn)) {
    throw invalid('', `the CSV header must name the column "${shape.requiredColumn}"`);
  }
  return data.map((cells) => {
    if (cells.length > header.length) return { __extraCells: cells.length - header.length };
    const row: Record<string, string> = {};
    header.forEach((name, i) => {
      if (cells[i] !== undefined && cells[i] !== '') row[name] = cells[i];
    });
    return row;
  });
}

/** Validates one row against a DTO class; unknown fields are refused. */
export function validateRow<T extends object>(
  type: ClassConstructor<T>,
  raw: unknown,
  row: number,
): { value: T } | { error: RowError } {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    return { error: { row, code: 'validation_failed', message: 'the row must be an object' } };
  }
  if ('__extraCells' in raw) {
    return {
      error: { row, code: 'validation_failed', message: 'the row has more cells than the header' },
    };
  }
  const value = plainToInstance(type, raw);
  const errors = validateSync(value, {
    whitelist: true,
    forbidNonWhitelisted: true,
    validationError: { target: false, value: false },
  });
  if (errors.length === 0) return { value };
  const message = flattenValidationErrors(errors)
    .map((e) => `${e.field}: ${e.message}`)
    .join('; ');
  return { error: { row, code: 'validation_failed', message } };
}

function invalid(field: string, message: string): DomainError {
  return new DomainError('validation_failed', message, [{ field, message }]);
}
