// Micro-benchmark of the JSON body parser's own checks (depth, UTF-8, NUL, lone surrogates) on
// the sign hot path: `npm run build && node scripts/json-body-bench.mjs`. It compares
// parseJsonBody with what the parser did before (secure-json-parse and a walk for U+0000).
import sjson from 'secure-json-parse';
import { parseJsonBody } from '../dist/src/common/http/json-body.js';

const sign = {
  fullName: 'Anna Testova',
  email: 'anna.testova@example.org',
  district: 'District 7',
  title: 'Municipal deputy',
  displayPublicly: true,
  comment: 'I support this petition.',
};
const bodies = {
  'sign body (178 B)': Buffer.from(JSON.stringify(sign)),
  'sign body, Cyrillic escaped as \\u (ensure_ascii clients)': Buffer.from(
    JSON.stringify({ ...sign, fullName: 'Анна Тестова' }).replace(
      /[\u0080-\uffff]/g,
      (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`,
    ),
  ),
  'petition body (20 KB text)': Buffer.from(
    JSON.stringify({ title: 'A petition title', body: 'word '.repeat(4000), addressee: 'Council' }),
  ),
  'import (10,000 rows, 600 KB)': Buffer.from(
    JSON.stringify({
      signatures: Array.from({ length: 10_000 }, (_, i) => ({
        fullName: `Person ${i}`,
        email: `p${i}@example.org`,
      })),
    }),
  ),
};

function containsNul(value) {
  if (typeof value === 'string') return value.includes('\0');
  if (Array.isArray(value)) return value.some(containsNul);
  if (value !== null && typeof value === 'object') {
    return Object.entries(value).some(([key, item]) => key.includes('\0') || containsNul(item));
  }
  return false;
}
function before(body) {
  if (body.length === 0 || /^\s*$/.test(body.toString('utf8'))) return undefined;
  const parsed = sjson.parse(body.toString('utf8'), undefined, {
    protoAction: 'error',
    constructorAction: 'error',
  });
  if (containsNul(parsed)) throw new Error('nul');
  return parsed;
}

function measure(fn, body) {
  const minMs = 300;
  for (let i = 0; i < 200; i++) fn(body); // warm up
  let runs = 0;
  const start = process.hrtime.bigint();
  let elapsed = 0n;
  while (elapsed < BigInt(minMs) * 1_000_000n) {
    for (let i = 0; i < 50; i++) fn(body);
    runs += 50;
    elapsed = process.hrtime.bigint() - start;
  }
  return Number(elapsed) / runs / 1000; // µs per parse
}

for (const [name, body] of Object.entries(bodies)) {
  const old = measure(before, body);
  const now = measure(parseJsonBody, body);
  console.log(
    `${name}: before ${old.toFixed(2)} µs, now ${now.toFixed(2)} µs (${now - old >= 0 ? '+' : ''}${(now - old).toFixed(2)} µs)`,
  );
}
