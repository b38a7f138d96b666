import { DomainError } from '../errors/domain-error.js';
import { MAX_JSON_DEPTH, nestedTooDeep, parseJsonBody, parseTextBody } from './json-body.js';

const utf8 = (text: string) => Buffer.from(text, 'utf8');

/** The DomainError that `read` throws; fails the test when it throws nothing or something else. */
function refusal(read: () => unknown): DomainError {
  try {
    read();
  } catch (error) {
    expect(error).toBeInstanceOf(DomainError);
    return error as DomainError;
  }
  throw new Error('expected the body to be refused');
}

const nested = (depth: number) => '['.repeat(depth) + ']'.repeat(depth);
const nestedObjects = (depth: number) => '{"a":'.repeat(depth) + '1' + '}'.repeat(depth);

describe('parseJsonBody', () => {
  it('parses JSON, and takes an empty or blank body as none', () => {
    expect(parseJsonBody(utf8('{"fullName":"Анна","n":[1,{"a":null}]}'))).toEqual({
      fullName: 'Анна',
      n: [1, { a: null }],
    });
    for (const blank of ['', '  \r\n\t', '\uFEFF '])
      expect(parseJsonBody(utf8(blank))).toBeUndefined();
  });

  it(`takes ${MAX_JSON_DEPTH} levels of nesting and refuses one more, as malformed_json`, () => {
    expect(parseJsonBody(utf8(nested(MAX_JSON_DEPTH)))).toBeDefined();
    expect(parseJsonBody(utf8(nestedObjects(MAX_JSON_DEPTH)))).toBeDefined();
    for (const text of [
      nested(MAX_JSON_DEPTH + 1),
      nestedObjects(MAX_JSON_DEPTH + 1),
      nested(100_000),
      '['.repeat(1_000_000),
    ]) {
      const error = refusal(() => parseJsonBody(utf8(text)));
      expect(error.code).toBe('malformed_json');
      expect(error.message).toBe(`The body is nested deeper than ${MAX_JSON_DEPTH} levels`);
    }
  });

  it('does not count brackets inside strings, escaped quotes included', () => {
    const text = JSON.stringify({ a: '['.repeat(100), b: 'say \\"[[[[\\" \\\\', c: '"{{{{' });
    expect(parseJsonBody(utf8(text))).toEqual(JSON.parse(text));
  });

  it('refuses bytes that are not UTF-8 rather than reading them as U+FFFD', () => {
    for (const bytes of [
      Buffer.from([0x7b, 0x22, 0x61, 0x22, 0x3a, 0x22, 0xff, 0x22, 0x7d]), // {"a":"\xff"}
      Buffer.from('{"a":"\xed\xa0\x80"}', 'latin1'), // a surrogate, UTF-8 encoded (CESU-8)
    ]) {
      expect(refusal(() => parseJsonBody(bytes)).code).toBe('malformed_json');
    }
  });

  it('refuses a lone surrogate and U+0000 anywhere, naming the field', () => {
    const cases: Array<[string, string]> = [
      ['{"email":"a\\ud800@example.org"}', 'email'],
      ['{"criteria":{"district":"x\\udfff"}}', 'criteria.district'],
      ['{"signatures":[{"fullName":"A"},{"fullName":"\\udc00B"}]}', 'signatures[1].fullName'],
      ['{"note":"a\\u0000b"}', 'note'],
      ['{"x\\ud800":1}', 'x\ud800'],
      ['["\\ud800"]', '[0]'],
    ];
    for (const [text, field] of cases) {
      const error = refusal(() => parseJsonBody(utf8(text)));
      expect(error.code).toBe('validation_failed');
      expect(error.details).toEqual([{ field, message: expect.any(String) }]);
    }
  });

  it('takes surrogate pairs, escaped or not', () => {
    expect(parseJsonBody(utf8('{"a":"\\ud83d\\ude00","b":"😀"}'))).toEqual({ a: '😀', b: '😀' });
  });

  it('refuses prototype-poisoning keys and malformed JSON without quoting the body', () => {
    const poisoned = refusal(() => parseJsonBody(utf8('{"__proto__":{"admin":true}}')));
    expect(poisoned.code).toBe('malformed_json');
    expect(poisoned.message).toContain('forbidden key');
    const broken = refusal(() => parseJsonBody(utf8('{"email":"anna@example.org"')));
    expect(broken.code).toBe('malformed_json');
    expect(broken.message).not.toContain('anna');
  });
});

describe('nestedTooDeep', () => {
  it('stops at the first level too deep and is not fooled by unterminated strings', () => {
    expect(nestedTooDeep(utf8('[[[]]]'), 3)).toBe(false);
    expect(nestedTooDeep(utf8('[[[[]]]]'), 3)).toBe(true);
    expect(nestedTooDeep(utf8('["[[[[[[[['), 3)).toBe(false);
    expect(nestedTooDeep(utf8('[{"a\\\\":[[[]]]}]'), 4)).toBe(true);
  });
});

describe('parseTextBody', () => {
  it('reads UTF-8 text and refuses other bytes and U+0000', () => {
    expect(parseTextBody(utf8('fullName\nАнна\n'))).toBe('fullName\nАнна\n');
    expect(refusal(() => parseTextBody(Buffer.from([0x66, 0xc3]))).code).toBe('validation_failed');
    expect(refusal(() => parseTextBody(utf8('fullName\nA\0B\n'))).code).toBe('validation_failed');
  });
});
