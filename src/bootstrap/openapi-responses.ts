import type { INestApplication } from '@nestjs/common';
import { ModulesContainer } from '@nestjs/core';
import { METHOD_METADATA } from '@nestjs/common/constants.js';
import type { OpenAPIObject } from '@nestjs/swagger';
import { AuthGuard } from '../accounts/auth.guard.js';
import { ERROR_STATUS, type ErrorCode } from '../common/errors/error-code.js';

type Operation = OpenAPIObject['paths'][string]['get'] & object;
type Responses = Operation['responses'];

export const BEARER_SCHEME = 'bearer';
const ERROR_SCHEMA = { $ref: '#/components/schemas/ErrorResponse' };
const BODY_METHODS = new Set(['post', 'put', 'patch', 'delete']);

/**
 * What every operation can answer because of what runs before its handler, added to the
 * document so that it tells the truth about each one (the decorators say what the handler
 * itself answers):
 *
 * - every request: 431 (headers over 16 KB, refused by Node) and 503 (a dependency is down);
 * - public operations: 401, since a token that is sent is checked; they need no token, so
 *   they carry no security requirement, while the others require the bearer token;
 * - a method that takes a body: 400 `malformed_json` (not JSON, not UTF-8, nested deeper than
 *   32 levels), 400 `validation_failed` (U+0000 or a lone surrogate), 413 and 415;
 * - a path parameter: 404 (one over 100 characters names nothing) and 400 (a malformed one);
 * - a query parameter: 400.
 *
 * Error responses are JSON whatever the operation's success is (the CSV export's errors are not
 * CSV), a `text/csv` request body is a string, not the JSON body's schema, and the schemas of
 * JSON request bodies say `additionalProperties: false`, as unknown fields are refused.
 */
export function documentSharedResponses(
  document: OpenAPIObject,
  isPublic: (operationId: string) => boolean,
): void {
  for (const methods of Object.values(document.paths)) {
    for (const [method, operation] of Object.entries(methods) as Array<[string, Operation]>) {
      if (!operation?.responses) continue;
      const open = operation.operationId !== undefined && isPublic(operation.operationId);
      operation.security = open ? [] : [{ [BEARER_SCHEME]: [] }];
      const add = (code: ErrorCode) => addError(operation.responses, code);
      add('request_header_fields_too_large');
      add('service_unavailable');
      if (open) add('unauthorized');
      if (BODY_METHODS.has(method)) {
        for (const code of [
          'malformed_json',
          'validation_failed',
          'payload_too_large',
          'unsupported_media_type',
        ] as const) {
          add(code);
        }
      }
      const parameters = (operation.parameters ?? []) as Array<{ in?: string }>;
      if (parameters.some((p) => p.in === 'path')) {
        add('not_found');
        add('validation_failed');
      }
      if (parameters.some((p) => p.in === 'query')) add('validation_failed');
      errorsAsJson(operation.responses);
      csvBodyAsText(operation);
      closeRequestSchemas(document, operation);
    }
  }
}

/** Adds `code` to the response of its status, listing it with the codes already there. */
function addError(responses: Responses, code: ErrorCode): void {
  const status = String(ERROR_STATUS[code]);
  const existing = responses[status] as { description?: string } | undefined;
  if (!existing) {
    responses[status] = {
      description: `code: ${code}`,
      content: { 'application/json': { schema: ERROR_SCHEMA } },
    };
    return;
  }
  const description = existing.description ?? '';
  const listed = /^code: ([a-z_ |]+)/.exec(description);
  if (!listed) {
    if (!description.includes(code)) existing.description = `code: ${code}; ${description}`;
    return;
  }
  const codes = listed[1].split(' | ').map((c) => c.trim());
  if (!codes.includes(code)) {
    existing.description = `code: ${[...codes, code].join(' | ')}${description.slice(listed[0].length)}`;
  }
}

function errorsAsJson(responses: Responses): void {
  for (const [status, response] of Object.entries(responses)) {
    const content = (response as { content?: Record<string, { schema?: unknown }> }).content;
    if (Number(status) < 400 || !content) continue;
    const schema = Object.values(content)[0]?.schema ?? ERROR_SCHEMA;
    (response as { content: unknown }).content = { 'application/json': { schema } };
  }
}

function csvBodyAsText(operation: Operation): void {
  const content = (operation.requestBody as { content?: Record<string, unknown> } | undefined)
    ?.content;
  if (content?.['text/csv']) {
    content['text/csv'] = {
      schema: { type: 'string', description: 'CSV text, UTF-8, with a header row' },
    };
  }
}

type Schema = {
  $ref?: string;
  properties?: Record<string, Schema>;
  items?: Schema;
  allOf?: Schema[];
  additionalProperties?: boolean;
};

function closeRequestSchemas(document: OpenAPIObject, operation: Operation): void {
  const body = operation.requestBody as
    { content?: Record<string, { schema?: Schema }> } | undefined;
  const schemas = (document.components?.schemas ?? {}) as Record<string, Schema>;
  const seen = new Set<string>();
  const close = (schema: Schema | undefined): void => {
    if (!schema) return;
    if (schema.$ref) {
      const name = schema.$ref.replace('#/components/schemas/', '');
      if (seen.has(name) || !schemas[name]) return;
      seen.add(name);
      schemas[name].additionalProperties = false;
      close(schemas[name]);
      return;
    }
    for (const property of Object.values(schema.properties ?? {})) close(property);
    close(schema.items);
    for (const part of schema.allOf ?? []) close(part);
  };
  close(body?.content?.['application/json']?.schema);
}

/**
 * Whether each operation is public, by its operationId (`Controller_method`, @nestjs/swagger's
 * default), asked of the auth guard itself, so the document and the guard cannot disagree.
 */
export function publicOperations(app: INestApplication): (operationId: string) => boolean {
  const guard = app.get(AuthGuard, { strict: false });
  const open = new Set<string>();
  for (const module of app.get(ModulesContainer).values()) {
    for (const wrapper of module.controllers.values()) {
      const type = wrapper.metatype as (new () => object) | null;
      if (!type || typeof type !== 'function') continue;
      for (const name of Object.getOwnPropertyNames(type.prototype)) {
        const handler = (type.prototype as Record<string, unknown>)[name];
        if (typeof handler !== 'function' || name === 'constructor') continue;
        if (Reflect.getMetadata(METHOD_METADATA, handler) === undefined) continue;
        if (guard.isPublic([handler, type])) open.add(`${type.name}_${name}`);
      }
    }
  }
  return (operationId) => open.has(operationId);
}
