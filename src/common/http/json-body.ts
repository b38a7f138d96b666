import { isUtf8 } from 'node:buffer';
import sjson from 'secure-json-parse';
import { DomainError } from '../errors/domain-error.js';
import { isWellFormed } from '../text/well-formed.js';

/** Objects and arrays nested deeper than this are refused (the contract's limit). */
export const MAX_JSON_DEPTH = 32;

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const OPEN_ARRAY = 0x5b;
const CLOSE_ARRAY = 0x5d;
const OPEN_OBJECT = 0x7b;
const CLOSE_OBJECT = 0x7d;
/** `\u`: after UTF-8 and JSON checks, the only way text can hold U+0000 or a lone surrogate. */
const UNICODE_ESCAPE = Buffer.from('\\u');

/**
 * Reads a JSON request body into a value the rest of the service can trust to be small in
 * depth and to hold only text PostgreSQL can store:
 *
 * - an empty or blank body is no body (`undefined`), for bodiless POST actions;
 * - bytes that are not UTF-8 are refused, rather than silently turned into U+FFFD;
 * - containers nested deeper than MAX_JSON_DEPTH are refused before parsing, so a body of a
 *   million `[` neither builds a million arrays nor overflows the stack of whatever walks it;
 * - `__proto__` and `constructor.prototype` keys are refused (secure-json-parse);
 * - U+0000 and lone UTF-16 surrogates (`"\ud800"`) are refused in every string and key, naming
 *   the field: PostgreSQL text cannot hold the first, and the second is not Unicode at all
 *   (validators throw on it, PostgreSQL's JSON refuses it).
 *
 * Every step is a linear pass over the bytes or a native call; the walk over the parsed value
 * runs only when the text has a `\u` escape, which a typical body has not.
 */
export function parseJsonBody(body: Buffer): unknown {
  if (body.length === 0) return undefined;
  if (!isUtf8(body)) throw malformed('The body is not UTF-8 text');
  if (isBlank(body)) return undefined;
  if (nestedTooDeep(body, MAX_JSON_DEPTH)) {
    throw malformed(`The body is nested deeper than ${MAX_JSON_DEPTH} levels`);
  }
  let parsed: unknown;
  try {
    parsed = sjson.parse(body.toString('utf8'), undefined, {
      protoAction: 'error',
      constructorAction: 'error',
    });
  } catch (error) {
    // The parser's own message can quote the body (a signer's email), so it is not passed on.
    throw malformed(
      (error as Error).message.includes('prototype')
        ? 'The body is not valid JSON: it uses a forbidden key (__proto__ or constructor.prototype)'
        : 'The body is not valid JSON',
    );
  }
  if (body.includes(UNICODE_ESCAPE)) {
    const bad = findBadText(parsed, 0);
    if (bad) throw badTextError(bad.problem, bad.path);
  }
  return parsed;
}

/**
 * A CSV (or other text) body: UTF-8, without U+0000. Text from bytes has no lone surrogates once
 * it is valid UTF-8, so that check covers them.
 */
export function parseTextBody(body: Buffer): string {
  if (!isUtf8(body)) {
    throw new DomainError('validation_failed', 'The body is not UTF-8 text', [
      { field: '', message: 'is not UTF-8 text' },
    ]);
  }
  const text = body.toString('utf8');
  if (text.includes('\0')) throw badTextError('nul', []);
  return text;
}

/**
 * Whether brackets outside strings nest deeper than `max`: one pass, jumping from quote to quote
 * with a native search. It stops at the first level too deep. Malformed text may count wrongly;
 * the parser refuses it anyway.
 */
export function nestedTooDeep(text: Uint8Array, max: number): boolean {
  let depth = 0;
  const length = text.length;
  for (let i = 0; i < length; i++) {
    const c = text[i];
    if (c === QUOTE) {
      i = closingQuote(text, i);
      if (i === -1) return false;
    } else if (c === OPEN_ARRAY || c === OPEN_OBJECT) {
      if (++depth > max) return true;
    } else if (c === CLOSE_ARRAY || c === CLOSE_OBJECT) {
      depth--;
    }
  }
  return false;
}

/** The index of the quote that closes the string opened at `open`, or -1 if none does. */
function closingQuote(text: Uint8Array, open: number): number {
  let at = text.indexOf(QUOTE, open + 1);
  while (at !== -1) {
    let backslashes = 0;
    while (text[at - 1 - backslashes] === BACKSLASH) backslashes++;
    if (backslashes % 2 === 0) return at;
    at = text.indexOf(QUOTE, at + 1);
  }
  return -1;
}

/** Nothing but JSON's whitespace, after a UTF-8 byte order mark if there is one. */
function isBlank(body: Buffer): boolean {
  const bom = body[0] === 0xef && body[1] === 0xbb && body[2] === 0xbf;
  for (let i = bom ? 3 : 0; i < body.length; i++) {
    const c = body[i];
    if (c !== 0x20 && c !== 0x0a && c !== 0x0d && c !== 0x09) return false;
  }
  return true;
}

type TextProblem = 'nul' | 'surrogate';

/**
 * The first string or key holding U+0000 or a lone surrogate, with its path (built only on the
 * way back up from a find). Depth is bounded by `nestedTooDeep`, so the recursion is too.
 */
function findBadText(
  value: unknown,
  depth: number,
): { problem: TextProblem; path: Array<string | number> } | null {
  if (typeof value === 'string') {
    const problem = textProblem(value);
    return problem ? { problem, path: [] } : null;
  }
  if (value === null || typeof value !== 'object' || depth > MAX_JSON_DEPTH) return null;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const found = findBadText(value[i], depth + 1);
      if (found) {
        found.path.unshift(i);
        return found;
      }
    }
    return null;
  }
  for (const key of Object.keys(value)) {
    const keyProblem = textProblem(key);
    if (keyProblem) return { problem: keyProblem, path: [key] };
    const found = findBadText((value as Record<string, unknown>)[key], depth + 1);
    if (found) {
      found.path.unshift(key);
      return found;
    }
  }
  return null;
}

function textProblem(text: string): TextProblem | null {
  if (text.includes('\0')) return 'nul';
  return isWellFormed(text) ? null : 'surrogate';
}

/** `criteria.district`, `signatures[3].email`: the contract's field paths. */
export function fieldPath(path: ReadonlyArray<string | number>): string {
  return path
    .map((part, i) => (typeof part === 'number' ? `[${part}]` : i === 0 ? part : `.${part}`))
    .join('');
}

const TEXT_PROBLEMS: Record<TextProblem, { message: string; detail: string }> = {
  nul: {
    message: 'Text may not contain the NUL character (U+0000)',
    detail: 'contains the NUL character',
  },
  surrogate: {
    message: 'Text must be well-formed Unicode: a lone UTF-16 surrogate (such as \\ud800) is not',
    detail: 'contains a lone UTF-16 surrogate, which is not a character',
  },
};

export function badTextError(
  problem: TextProblem,
  path: ReadonlyArray<string | number>,
): DomainError {
  const field = fieldPath(path);
  const { message, detail } = TEXT_PROBLEMS[problem];
  return new DomainError('validation_failed', field ? `${field}: ${message}` : message, [
    { field, message: detail },
  ]);
}

function malformed(message: string): DomainError {
  return new DomainError('malformed_json', message);
}
