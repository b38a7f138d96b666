import { Ajv, type ValidateFunction } from 'ajv';
import addFormatsModule from 'ajv-formats';
import { ERROR_STATUS } from '../../../src/common/errors/error-code.js';
import type { OpenApiDocument, Operation, Schema } from './openapi-model.js';

/** An answer as the fuzz suite reads it. */
export interface FuzzResponse {
  status: number;
  headers: Headers;
  text: string;
}

const DOCUMENT_ID = 'openapi';
const ERROR_KEYS = ['code', 'details', 'message', 'statusCode'];
const SNAKE_CASE = /^[a-z][a-z0-9]*(_[a-z0-9]+)*$/;
// ajv-formats is CommonJS with a default export; under ESM its function may sit one level down.
const addFormats = ((addFormatsModule as { default?: unknown }).default ?? addFormatsModule) as (
  ajv: Ajv,
) => Ajv;

/** `#/components/schemas/X` → `openapi#/components/schemas/X`, so Ajv finds them in one place. */
function pointAtDocument<T>(schema: T): T {
  return JSON.parse(
    JSON.stringify(schema).replaceAll('"#/components/', `"${DOCUMENT_ID}#/components/`),
  ) as T;
}

/**
 * Whether answers keep the contract: no 5xx; every status documented on the operation (and the
 * error code listed there); every 4xx with exactly the contract's error body; every 2xx as its
 * documented schema says (Ajv, with the document's formats: uuid, email, date-time).
 */
export class ContractChecker {
  private readonly ajv = new Ajv({ strict: false, allErrors: true });
  private readonly validators = new Map<string, ValidateFunction>();

  constructor(document: OpenApiDocument) {
    addFormats(this.ajv);
    this.ajv.addSchema({ $id: DOCUMENT_ID, components: pointAtDocument(document.components) });
  }

  /** What is wrong with this answer, or null when nothing is. */
  violation(operation: Operation, response: FuzzResponse): string | null {
    const { status } = response;
    if (status >= 500) return `answered ${status}: ${response.text.slice(0, 300)}`;
    const documented = operation.responses[String(status)];
    if (!documented) {
      return `answered ${status}, which the document does not list for ${operation.key} (it lists ${Object.keys(operation.responses).join(', ')}): ${response.text.slice(0, 200)}`;
    }
    if (status >= 400) return this.errorViolation(response, documented.codes);
    if (status === 204) return response.text === '' ? null : 'answered 204 with a body';
    const type = response.headers.get('content-type') ?? '';
    if (documented.json) {
      if (!type.startsWith('application/json')) return `answered ${status} as ${type}, not JSON`;
      return this.schemaViolation(operation, status, documented.json, response.text);
    }
    if (
      documented.mediaTypes.length > 0 &&
      !documented.mediaTypes.some((m) => type.startsWith(m))
    ) {
      return `answered ${status} as ${type}, not ${documented.mediaTypes.join(' or ')}`;
    }
    return null;
  }

  private errorViolation(response: FuzzResponse, codes: string[] | null): string | null {
    const { status } = response;
    const type = response.headers.get('content-type') ?? '';
    if (!type.startsWith('application/json')) return `answered ${status} as ${type}, not JSON`;
    let body: Record<string, unknown>;
    try {
      body = JSON.parse(response.text) as Record<string, unknown>;
    } catch {
      return `answered ${status} with a body that is not JSON: ${response.text.slice(0, 200)}`;
    }
    const keys = Object.keys(body ?? {}).sort();
    const problems = [
      JSON.stringify(keys) !== JSON.stringify(ERROR_KEYS) &&
        `the error body has the keys ${keys.join(', ')}, not ${ERROR_KEYS.join(', ')}`,
      body.statusCode !== status && `statusCode ${String(body.statusCode)} is not the status`,
      !(typeof body.code === 'string' && SNAKE_CASE.test(body.code)) &&
        `code ${JSON.stringify(body.code)} is not snake_case`,
      typeof body.code === 'string' &&
        (ERROR_STATUS as Record<string, number>)[body.code] !== status &&
        `code ${body.code} is not a code of status ${status} (error-code.ts)`,
      typeof body.code === 'string' &&
        codes !== null &&
        !codes.includes(body.code) &&
        `code ${body.code} is not among those the document lists for ${status}: ${codes.join(', ')}`,
      !(typeof body.message === 'string' && body.message.length > 0) && 'message is empty',
      !Array.isArray(body.details) && 'details is not an array',
      status === 429 &&
        !/^\d+$/.test(response.headers.get('retry-after') ?? '') &&
        '429 without a Retry-After in seconds',
    ].filter((p): p is string => typeof p === 'string');
    return problems.length > 0
      ? `answered ${status}: ${problems.join('; ')}: ${response.text.slice(0, 200)}`
      : null;
  }

  private schemaViolation(
    operation: Operation,
    status: number,
    schema: Schema,
    text: string,
  ): string | null {
    const key = `${operation.key} ${status}`;
    let validate = this.validators.get(key);
    if (!validate) {
      validate = this.ajv.compile(pointAtDocument(schema));
      this.validators.set(key, validate);
    }
    let body: unknown;
    try {
      body = JSON.parse(text);
    } catch {
      return `answered ${status} with a body that is not JSON: ${text.slice(0, 200)}`;
    }
    if (validate(body)) return null;
    const errors = (validate.errors ?? [])
      .slice(0, 5)
      .map((e) => `${e.instancePath || '(body)'} ${e.message ?? ''} ${JSON.stringify(e.params)}`)
      .join('; ');
    return `answered ${status} with a body its schema does not describe: ${errors}: ${text.slice(0, 300)}`;
  }
}
