import fc from 'fast-check';
import { type OpenApiDocument, type Operation, resolve, type Schema } from './openapi-model.js';

/** Ids and slugs that exist, by what they name (`petition`, `register`, `signature`, …). */
export type KnownValues = Record<string, string[]>;

/** Who calls: each role's token, none, or one that is not valid. */
export const ROLES = ['anonymous', 'badToken', 'organiser', 'moderator', 'admin'] as const;
export type Role = (typeof ROLES)[number];

/** A request as the property sends it; also what a failure prints. */
export interface FuzzRequest {
  role: Role;
  method: string;
  url: string;
  /** For badToken: which bad Authorization header. */
  authorization?: string;
  contentType?: string;
  body?: Buffer;
}

// ---------------------------------------------------------------------------------------------
// Hostile values

const LONE_SURROGATES = ['\ud800', 'x\udfff', '\udbff\ud800', 'Anna \ud83d'];
const TRICKY_STRINGS = [
  '',
  ' ',
  ' \t\n ',
  'null',
  'true',
  '0',
  '-1',
  '%',
  '%_\\',
  '*',
  "'; DROP TABLE signatures; --",
  '<script>alert(1)</script>',
  '../../etc/passwd',
  '\u202Eevil',
  'a\u0000b',
  '😀'.repeat(60),
  'Ａｎｎａ',
  '__proto__',
  'constructor',
  'mine',
  'x'.repeat(201),
  'x'.repeat(2001),
];
const EDGE_DATES = [
  '+275760-09-13T00:00:00Z',
  '-271821-04-20T00:00:00Z',
  '2030-02-30T00:00:00Z',
  '2030-02-30',
  '2030-01-01',
  '2030-01-01T00:00:00',
  '2030-01-01T24:00:00Z',
  '2030-06-30T23:59:60Z',
  '0000-01-01T00:00:00Z',
  '0001-01-01T00:00:00Z',
  '1969-12-31T23:59:59Z',
  '9999-12-31T23:59:59.999Z',
  '9999-12-31T23:00:00-05:00',
  '2031-01-01T00:00:00.123456789+14:00',
  '2031-01-01t00:00:00z',
  'next tuesday',
];
const EDGE_NUMBERS = [
  0,
  -0,
  -1,
  1,
  0.5,
  50,
  51,
  100,
  101,
  2 ** 31,
  -(2 ** 31),
  2 ** 53 + 2,
  Number.MAX_SAFE_INTEGER,
  1e308,
  -1e308,
  5e-324,
];
/** Objects with prototype-poisoning keys: JSON.parse makes them own keys, which stringify keeps. */
const PROTO_OBJECTS = [
  '{"__proto__":{"admin":true}}',
  '{"constructor":{"prototype":{"admin":true}}}',
  '{"a":{"__proto__":{"role":"admin"}}}',
];

const nestedArrays = (depth: number): unknown => {
  let value: unknown = [];
  for (let i = 1; i < depth; i++) value = [value];
  return value;
};

/** A value no field expects: the wrong type, an edge, ill-formed text, deep or huge. */
export function hostileValue(): fc.Arbitrary<unknown> {
  return fc.oneof(
    { weight: 3, arbitrary: fc.constant(null) },
    { weight: 1, arbitrary: fc.boolean() },
    { weight: 3, arbitrary: fc.constantFrom(...EDGE_NUMBERS) },
    { weight: 4, arbitrary: fc.constantFrom(...TRICKY_STRINGS) },
    { weight: 3, arbitrary: fc.constantFrom(...LONE_SURROGATES) },
    { weight: 3, arbitrary: fc.constantFrom(...EDGE_DATES) },
    { weight: 1, arbitrary: fc.constantFrom(1_000, 20_001, 200_000).map((n) => 'x'.repeat(n)) },
    { weight: 2, arbitrary: fc.string({ unit: 'binary', maxLength: 30 }) },
    { weight: 1, arbitrary: fc.array(fc.oneof(fc.string(), fc.integer(), fc.constant(null))) },
    { weight: 1, arbitrary: fc.dictionary(fc.string({ maxLength: 8 }), fc.string()) },
    { weight: 1, arbitrary: fc.constantFrom(...PROTO_OBJECTS).map((text) => JSON.parse(text)) },
    { weight: 1, arbitrary: fc.integer({ min: 30, max: 40 }).map(nestedArrays) },
  );
}

/** Whole bodies that are not what any endpoint takes: broken, deep, not UTF-8, too large. */
function hostileBody(): fc.Arbitrary<Buffer> {
  const texts = fc.oneof(
    fc.constantFrom(
      '',
      '  ',
      'null',
      '[]',
      '"text"',
      '42',
      'true',
      '{',
      '{"a":',
      '{"a":1} x',
      "{'a':1}",
      '\uFEFF{}',
      '{"a":"\\ud800"}',
      '{"a\\udc00":1}',
      '{"a":"\\u0000"}',
      ...PROTO_OBJECTS,
    ),
    fc.integer({ min: 31, max: 34 }).map((d) => '['.repeat(d) + ']'.repeat(d)),
    fc.constantFrom(4_000, 100_000).map((d) => '['.repeat(d) + ']'.repeat(d)),
    fc.constantFrom(33, 4_000).map((d) => '{"a":'.repeat(d) + '1' + '}'.repeat(d)),
  );
  return fc.oneof(
    { weight: 8, arbitrary: texts.map((text) => Buffer.from(text, 'utf8')) },
    // Not UTF-8: a stray byte, and a surrogate encoded as if it were a character.
    {
      weight: 1,
      arbitrary: fc.constantFrom(
        Buffer.from([0x7b, 0x22, 0x61, 0x22, 0x3a, 0x22, 0xff, 0x22, 0x7d]),
        Buffer.from('{"a":"\xed\xa0\x80"}', 'latin1'),
      ),
    },
    // Over the 1 MB body limit.
    { weight: 1, arbitrary: fc.constant(OVERSIZED_BODY) },
  );
}
const OVERSIZED_BODY = Buffer.from(`{"a":"${'x'.repeat(1_100_000)}"}`);

// ---------------------------------------------------------------------------------------------
// Values a schema describes (mostly valid, so requests reach the code behind validation)

interface SchemaContext {
  document: OpenApiDocument;
  known: KnownValues;
  depth: number;
  /** The property being generated, whose name hints at what an id names (`petitionId`). */
  name?: string;
}

const allKnown = (known: KnownValues) => [...new Set(Object.values(known).flat())];
const KNOWN_EMAILS = ['anna.fuzz@example.org', 'boris.fuzz@example.com', 'ANNA.FUZZ@Example.org'];

function stringFor(schema: Schema, ctx: SchemaContext): fc.Arbitrary<string> {
  const ids = fitting(ctx.name ?? '', ctx.known).filter((v) => /^[0-9a-f-]{36}$/.test(v));
  switch (schema.format) {
    case 'uuid':
      return ids.length > 0 ? fc.oneof(fc.constantFrom(...ids), fc.uuid()) : fc.uuid();
    case 'email':
      return fc.oneof(
        fc.constantFrom(...KNOWN_EMAILS),
        fc
          .tuple(
            fc.stringMatching(/^[a-z][a-z0-9.]{0,12}$/),
            fc.constantFrom('example.org', 'x.test'),
          )
          .map(([local, domain]) => `${local}@${domain}`),
      );
    case 'date-time':
      return fc
        .date({
          min: new Date(Date.now() - 400 * 86_400_000),
          max: new Date(Date.now() + 400 * 86_400_000),
          noInvalidDate: true,
        })
        .map((d) => d.toISOString());
    default:
      break;
  }
  const min = schema.minLength ?? 0;
  const max = Math.max(min, Math.min(schema.maxLength ?? 40, 60));
  return fc.oneof(
    { weight: 6, arbitrary: fc.string({ minLength: min, maxLength: max }) },
    { weight: 2, arbitrary: fc.constantFrom('Анна Тестова', 'Борис Примеров', 'North', 'Dr') },
    ...(schema.maxLength !== undefined
      ? [
          {
            weight: 1,
            arbitrary: fc
              .constantFrom(schema.maxLength, schema.maxLength + 1)
              .map((n) => 'é'.repeat(n)),
          },
        ]
      : []),
  );
}

function numberFor(schema: Schema): fc.Arbitrary<number> {
  const min = schema.minimum ?? -1_000;
  const max = schema.maximum ?? 1_000_000;
  const edges = [min, max, min - 1, max + 1];
  return fc.oneof(
    { weight: 4, arbitrary: fc.integer({ min: Math.ceil(min), max: Math.floor(max) }) },
    { weight: 1, arbitrary: fc.constantFrom(...edges) },
    ...(schema.type === 'integer' ? [{ weight: 1, arbitrary: fc.constant(min + 0.5) }] : []),
  );
}

/** A value the schema describes, now and then null where it may be. */
export function valueFor(schema: Schema, ctx: SchemaContext): fc.Arbitrary<unknown> {
  const resolved = resolve(schema, ctx.document);
  const value = plainValueFor(resolved, ctx);
  return resolved.nullable
    ? fc.oneof({ weight: 1, arbitrary: fc.constant(null) }, { weight: 4, arbitrary: value })
    : value;
}

function plainValueFor(schema: Schema, ctx: SchemaContext): fc.Arbitrary<unknown> {
  if (schema.enum && schema.enum.length > 0) return fc.constantFrom(...schema.enum);
  if (ctx.depth > 6) return fc.constant(null);
  const inner = { ...ctx, depth: ctx.depth + 1 };
  switch (schema.type) {
    case 'string':
      return stringFor(schema, ctx);
    case 'integer':
    case 'number':
      return numberFor(schema);
    case 'boolean':
      return fc.boolean();
    case 'array':
      return fc.array(valueFor(schema.items ?? {}, inner), {
        minLength: schema.minItems ?? 0,
        maxLength: Math.min(schema.maxItems ?? 3, 3),
      });
    case 'object':
    case undefined: {
      if (!schema.properties) return schema.type ? fc.constant({}) : hostileValue();
      const model = Object.fromEntries(
        Object.entries(schema.properties).map(([name, property]) => [
          name,
          valueFor(property, { ...inner, name }),
        ]),
      );
      return fc.record(model, { requiredKeys: schema.required ?? [] });
    }
    default:
      return hostileValue();
  }
}

type Path = Array<string | number>;

/** The optional properties of an object schema, nested objects' included: where null goes. */
function optionalPaths(schema: Schema, document: OpenApiDocument, prefix: Path = []): Path[] {
  const resolved = resolve(schema, document);
  if (!resolved.properties || prefix.length > 4) return [];
  return Object.entries(resolved.properties).flatMap(([name, property]) => [
    ...(resolved.required?.includes(name) ? [] : [[...prefix, name]]),
    ...optionalPaths(property, document, [...prefix, name]),
  ]);
}

function pathsIn(value: unknown, prefix: Path = [], out: Path[] = []): Path[] {
  if (value === null || typeof value !== 'object') return out;
  const entries = Array.isArray(value)
    ? value.map((item, i) => [i, item] as const)
    : Object.entries(value);
  for (const [key, item] of entries) {
    out.push([...prefix, key]);
    pathsIn(item, [...prefix, key], out);
  }
  return out;
}

function setAt(value: unknown, path: Path, replacement: unknown, remove = false): unknown {
  if (value === null || typeof value !== 'object') return value;
  // Through JSON, which keeps an own `__proto__` key as one (structuredClone need not).
  const copy = JSON.parse(JSON.stringify(value)) as Record<string | number, unknown>;
  let node = copy;
  for (const key of path.slice(0, -1)) {
    if (node[key] === null || typeof node[key] !== 'object') node[key] = {};
    node = node[key] as Record<string | number, unknown>;
  }
  const last = path[path.length - 1];
  if (remove && !Array.isArray(node)) delete node[last];
  else Object.defineProperty(node, last, { value: replacement, enumerable: true, writable: true });
  return copy;
}

/**
 * A mostly valid body with one thing wrong, at any depth: a field given a hostile value (null,
 * the wrong type, ill-formed text…), an optional field null, a field taken away, or a field no
 * schema has.
 */
function mutatedBody(schema: Schema, ctx: SchemaContext): fc.Arbitrary<unknown> {
  const nullable = optionalPaths(schema, ctx.document);
  return valueFor(schema, ctx).chain((value) => {
    const paths = pathsIn(value);
    const mutations: Array<fc.WeightedArbitrary<unknown>> = [
      { weight: 5, arbitrary: fc.constant(value) },
      {
        weight: 2,
        arbitrary: fc
          .tuple(fc.constantFrom('isAdmin', 'role', '__proto__', 'id', 'status'), hostileValue())
          .map(([key, extra]) =>
            value !== null && typeof value === 'object' && !Array.isArray(value)
              ? setAt(value, [key], extra)
              : value,
          ),
      },
    ];
    if (nullable.length > 0) {
      // Optional means it may be left out, not that it may be null.
      mutations.push({
        weight: 3,
        arbitrary: fc.constantFrom(...nullable).map((path) => setAt(value, path, null)),
      });
    }
    if (paths.length > 0) {
      mutations.push(
        {
          weight: 4,
          arbitrary: fc
            .tuple(fc.constantFrom(...paths), hostileValue())
            .map(([path, hostile]) => setAt(value, path, hostile)),
        },
        {
          weight: 1,
          arbitrary: fc.constantFrom(...paths).map((path) => setAt(value, path, undefined, true)),
        },
      );
    }
    return fc.oneof(...mutations);
  });
}

// ---------------------------------------------------------------------------------------------
// Requests

const BAD_AUTHORIZATIONS = [
  'Bearer not-a-token-we-issued',
  `Bearer ${'x'.repeat(600)}`,
  'Bearer',
  'Bearer  two  spaces',
  'Basic Zm9vOmJhcg==',
  'bearer lower-case-scheme',
  'Bearer ../../etc/passwd',
];

/**
 * Path parameters, already URL-encoded (a lone surrogate cannot be, so it comes percent-encoded).
 * No `..`: a URL library resolves it before sending, so it would reach another operation.
 */
const HOSTILE_SEGMENTS = [
  'a'.repeat(100),
  'a'.repeat(101),
  'x'.repeat(5_000),
  '%ED%A0%80',
  '%00',
  '%E0%A4%A',
  'mine',
  '00000000-0000-0000-0000-000000000000',
  'FFFFFFFF-FFFF-4FFF-BFFF-FFFFFFFFFFFF',
  '%7B00000000-0000-0000-0000-000000000000%7D',
  "'%20OR%201%3D1%20--",
  '%F0%9F%98%80',
  '%20',
  'null',
  '-1',
];

const KINDS = ['petition', 'register', 'signature', 'invalidation', 'account', 'block', 'alert'];
/** Names that say what they name without saying it: `sameSourceAs` is a signature's id. */
const ALIASES: Record<string, string> = { source: 'signature', claim: 'signature' };

/** The known values a name hints at (`petitionId`, `registers/{id}`), else all of them. */
function fitting(hints: string, known: KnownValues): string[] {
  const lower = hints.toLowerCase();
  const kinds = [
    ...KINDS.filter((kind) => lower.includes(kind)),
    ...Object.entries(ALIASES)
      .filter(([alias]) => lower.includes(alias))
      .map(([, kind]) => kind),
  ];
  const values = kinds.flatMap((kind) => known[kind] ?? []);
  return values.length > 0 ? values : allKnown(known);
}

/** The known values that fit a path parameter: by the segment before it, or by its name. */
function knownFor(path: string, param: string, known: KnownValues): string[] {
  const before = path.split(`/{${param}}`)[0].split('/').pop() ?? '';
  return fitting(`${before} ${param}`, known);
}

function pathParam(operation: Operation, param: string, known: KnownValues): fc.Arbitrary<string> {
  const fitting = knownFor(operation.path, param, known).map(encodeURIComponent);
  return fc.oneof(
    ...(fitting.length > 0 ? [{ weight: 6, arbitrary: fc.constantFrom(...fitting) }] : []),
    { weight: 2, arbitrary: fc.uuid() },
    { weight: 2, arbitrary: fc.constantFrom(...HOSTILE_SEGMENTS) },
    { weight: 1, arbitrary: fc.string({ minLength: 1, maxLength: 20 }).map(encodeURIComponent) },
  );
}

const asQueryText = (value: unknown): string =>
  typeof value === 'string' ? value : (JSON.stringify(value) ?? '');

function queryString(operation: Operation, ctx: SchemaContext): fc.Arbitrary<string> {
  const params = operation.query.map(({ name, schema, required }) => {
    const value = fc.oneof(
      { weight: 4, arbitrary: valueFor(schema, ctx).map(asQueryText) },
      { weight: 2, arbitrary: hostileValue().map(asQueryText) },
    );
    const entry = value.map((v) => [[name, v]] as Array<[string, string]>);
    const repeated = fc.tuple(value, value).map(([a, b]) => [
      [name, a],
      [name, b],
    ]) as fc.Arbitrary<Array<[string, string]>>;
    const given = fc.oneof({ weight: 5, arbitrary: entry }, { weight: 1, arbitrary: repeated });
    return required
      ? given
      : fc.option(given, { freq: 2, nil: [] as Array<[string, string]> }).map((v) => v ?? []);
  });
  const none: Array<[string, string]> = [];
  const extra = fc.oneof(
    { weight: 16, arbitrary: fc.constant(none) },
    { weight: 1, arbitrary: fc.constant<Array<[string, string]>>([['unknown', '1']]) },
    { weight: 1, arbitrary: fc.constant<Array<[string, string]>>([['cursor[]', '1']]) },
    // Over Node's 16 KB of headers: 431.
    {
      weight: 1,
      arbitrary: fc.constant<Array<[string, string]>>([['padding', 'p'.repeat(20_000)]]),
    },
  );
  return fc.tuple(fc.tuple(...params), extra).map(([given, more]) => {
    const search = new URLSearchParams([...given.flat(), ...more]);
    const text = search.toString();
    return text ? `?${text}` : '';
  });
}

const JSON_TYPE = 'application/json';

function body(
  operation: Operation,
  ctx: SchemaContext,
): fc.Arbitrary<{ contentType?: string; body?: Buffer }> {
  const json = (value: unknown) => Buffer.from(JSON.stringify(value) ?? 'null', 'utf8');
  const schemaBody = operation.body?.json
    ? mutatedBody(operation.body.json, ctx)
    : fc.oneof(fc.constant({}), hostileValue());
  const csv = fc
    .oneof(
      fc.constantFrom('fullName\nAnna Testova\n', 'fullName,email\nBoris,b@x.test\n', 'nope,\n'),
      fc.string({ unit: 'binary', maxLength: 200 }),
    )
    .map((text) => Buffer.from(text, 'utf8'));
  const otherType = fc.constantFrom(
    'text/plain',
    'application/x-www-form-urlencoded',
    'multipart/form-data; boundary=x',
    'application/xml',
  );
  return fc.oneof(
    { weight: 12, arbitrary: schemaBody.map((v) => ({ contentType: JSON_TYPE, body: json(v) })) },
    {
      weight: 1,
      arbitrary: schemaBody.map((v) => ({
        contentType: `${JSON_TYPE}; charset=utf-8`,
        body: json(v),
      })),
    },
    { weight: 4, arbitrary: hostileBody().map((b) => ({ contentType: JSON_TYPE, body: b })) },
    {
      weight: operation.body?.csv ? 3 : 1,
      arbitrary: csv.map((b) => ({ contentType: 'text/csv', body: b })),
    },
    {
      weight: 1,
      arbitrary: fc.tuple(otherType, csv).map(([contentType, b]) => ({ contentType, body: b })),
    },
    { weight: 1, arbitrary: fc.constant({}) },
    { weight: 1, arbitrary: schemaBody.map((v) => ({ body: json(v) })) },
  );
}

/** Every request the fuzz suite may send to one operation, with each role. */
export function requestsFor(
  operation: Operation,
  document: OpenApiDocument,
  known: KnownValues,
): fc.Arbitrary<FuzzRequest> {
  const ctx: SchemaContext = { document, known, depth: 0 };
  const params = fc.tuple(...operation.pathParams.map((p) => pathParam(operation, p, known)));
  const hasBody = !['GET', 'HEAD'].includes(operation.method);
  return fc
    .record({
      role: fc.constantFrom(...ROLES),
      badAuthorization: fc.constantFrom(...BAD_AUTHORIZATIONS),
      params,
      query: queryString(operation, ctx),
      payload: hasBody ? body(operation, ctx) : fc.constant({}),
    })
    .map(({ role, badAuthorization, params: values, query, payload }) => {
      let path = operation.path;
      operation.pathParams.forEach((name, i) => {
        path = path.replace(`{${name}}`, values[i]);
      });
      return {
        role,
        method: operation.method,
        url: `${path}${query}`,
        ...(role === 'badToken' ? { authorization: badAuthorization } : {}),
        ...payload,
      };
    });
}

/** A request as a person can read it again: long parts shortened. */
export function describeRequest(request: FuzzRequest): string {
  const cut = (text: string, max = 300) =>
    text.length > max ? `${text.slice(0, max)}… (${text.length} characters)` : text;
  const lines = [`${request.method} ${cut(request.url, 200)}  as ${request.role}`];
  if (request.authorization) lines.push(`Authorization: ${cut(request.authorization, 60)}`);
  if (request.contentType) lines.push(`Content-Type: ${request.contentType}`);
  if (request.body) lines.push(`body: ${cut(JSON.stringify(request.body.toString('utf8')))}`);
  return lines.join('\n');
}
