/**
 * The parts of the service's own OpenAPI document (`/docs-json`) the fuzz suite reads: every
 * operation, its parameters, its request body and the responses it documents.
 */

/** An OpenAPI 3.0 schema, as far as the fuzz suite reads one. */
export interface Schema {
  $ref?: string;
  type?: string;
  format?: string;
  enum?: unknown[];
  nullable?: boolean;
  minLength?: number;
  maxLength?: number;
  minimum?: number;
  maximum?: number;
  minItems?: number;
  maxItems?: number;
  items?: Schema;
  properties?: Record<string, Schema>;
  required?: string[];
  allOf?: Schema[];
  additionalProperties?: boolean | Schema;
}

interface RawParameter {
  name: string;
  in: 'path' | 'query' | 'header' | 'cookie';
  required?: boolean;
  schema?: Schema;
}

interface RawResponse {
  description?: string;
  content?: Record<string, { schema?: Schema }>;
}

interface RawOperation {
  operationId?: string;
  parameters?: RawParameter[];
  requestBody?: { content?: Record<string, { schema?: Schema }> };
  responses: Record<string, RawResponse>;
  security?: unknown[];
}

export interface OpenApiDocument {
  paths: Record<string, Record<string, RawOperation>>;
  components: { schemas: Record<string, Schema> };
}

export interface DocumentedResponse {
  /** The error codes the description lists (`code: a | b`), or null when it lists none. */
  codes: string[] | null;
  /** The JSON schema of the body, when the response is JSON. */
  json?: Schema;
  /** The media types the response may have. */
  mediaTypes: string[];
}

export interface Operation {
  /** `post /v1/petitions/{idOrSlug}/signatures`: how failures name it, and FUZZ_OPERATION. */
  key: string;
  method: string;
  path: string;
  pathParams: string[];
  query: Array<{ name: string; required: boolean; schema: Schema }>;
  body?: { json?: Schema; csv: boolean };
  responses: Record<string, DocumentedResponse>;
  /** Whether the document says it needs no token (`security: []`). */
  public: boolean;
}

const CODES = /^code: ([a-z0-9_ |]+)/;

export function readOperations(document: OpenApiDocument): Operation[] {
  const operations: Operation[] = [];
  for (const [path, methods] of Object.entries(document.paths)) {
    for (const [method, raw] of Object.entries(methods)) {
      if (!raw?.responses) continue;
      const parameters = raw.parameters ?? [];
      const content = raw.requestBody?.content;
      operations.push({
        key: `${method} ${path}`,
        method: method.toUpperCase(),
        path,
        pathParams: parameters.filter((p) => p.in === 'path').map((p) => p.name),
        query: parameters
          .filter((p) => p.in === 'query')
          .map((p) => ({ name: p.name, required: p.required === true, schema: p.schema ?? {} })),
        body: content
          ? { json: content['application/json']?.schema, csv: 'text/csv' in content }
          : undefined,
        responses: Object.fromEntries(
          Object.entries(raw.responses).map(([status, response]) => [
            status,
            {
              codes: CODES.exec(response.description ?? '')?.[1].split(' | ') ?? null,
              json: response.content?.['application/json']?.schema,
              mediaTypes: Object.keys(response.content ?? {}),
            },
          ]),
        ),
        public: Array.isArray(raw.security) && raw.security.length === 0,
      });
    }
  }
  return operations;
}

/** Follows `$ref`s (and a lone `allOf`, as @nestjs/swagger writes a nullable reference). */
export function resolve(schema: Schema, document: OpenApiDocument): Schema {
  let current = schema;
  for (let hops = 0; hops < 20; hops++) {
    if (current.$ref) {
      const name = current.$ref.replace('#/components/schemas/', '');
      current = { ...document.components.schemas[name], nullable: current.nullable };
    } else if (current.allOf?.length === 1 && !current.type) {
      current = { ...current.allOf[0], nullable: current.nullable };
    } else {
      return current;
    }
  }
  throw new Error(`schema references loop: ${JSON.stringify(schema)}`);
}

/**
 * The operation a concrete request reaches: the router prefers static segments, so a parameter
 * that happens to spell one (`/v1/petitions/mine`) reaches that operation, not the one fuzzed.
 */
export function routeOf(
  operations: readonly Operation[],
  method: string,
  url: string,
): Operation | undefined {
  const segments = url.split('?')[0].split('/');
  let best: { operation: Operation; score: number } | undefined;
  for (const operation of operations) {
    if (operation.method !== method) continue;
    const template = operation.path.split('/');
    if (template.length !== segments.length) continue;
    let score = 0;
    const matches = template.every((part, i) => {
      if (/^\{[^}]+\}$/.test(part)) return segments[i] !== '';
      score++;
      return part === segments[i];
    });
    if (matches && (!best || score > best.score)) best = { operation, score };
  }
  return best?.operation;
}
