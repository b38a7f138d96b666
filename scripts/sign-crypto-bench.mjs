// Micro-benchmark of the sign path's crypto, before and after per-petition keys:
// `npm run build && node scripts/sign-crypto-bench.mjs`. "Before" is what SigningService did with
// the one DataProtector (3 blind indexes, 2 encryptions); "after" is what it does with a
// petition's cached OwnerKeys (a cache lookup, 5 HMACs for the two-level indexes, 3 encryptions
// bound to the row). Made-up inputs only.
import { randomBytes, randomUUID } from 'node:crypto';
import { DataProtector } from '../dist/src/common/crypto/data-protector.js';
import { OwnerKeys } from '../dist/src/common/crypto/owner-keys.js';

const N = 200_000;
const protector = new DataProtector({
  dataEncryptionKey: randomBytes(32),
  previousDataEncryptionKeys: [],
});
const cache = new Map();
const petitionId = randomUUID();
for (let i = 0; i < 1000; i++) cache.set(randomUUID(), { keys: null });
cache.set(petitionId, {
  keys: OwnerKeys.fromMaterial(`petition:${petitionId}`, randomBytes(64), randomBytes(32)),
});
const email = 'anna.testova@example.org';
const ip = '203.0.113.7';
const ua = 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/130.0';
const token = randomBytes(32).toString('base64url');

function before() {
  protector.blindIndex(email, 'signatory.email');
  protector.blindIndex(ip, 'signature.source-ip');
  protector.blindIndex(ua, 'signature.user-agent');
  protector.encrypt(token, 'signature.token');
  protector.encrypt(email, 'signatory.email');
}

function after() {
  const keys = cache.get(petitionId).keys;
  const id = randomUUID();
  keys.index(email, 'signatory.email');
  const source = keys.globalIndex(ip, 'signature.source-ip');
  keys.indexOfGlobal(source, 'signature.source-ip');
  keys.index(ua, 'signature.user-agent');
  keys.encrypt(email, 'signatory.email', id);
  keys.encrypt(token, 'signature.token', id);
  keys.encryptBytes(source, 'signature.source-global', id);
}

function time(fn) {
  for (let i = 0; i < 20_000; i++) fn();
  const start = process.hrtime.bigint();
  for (let i = 0; i < N; i++) fn();
  return Number(process.hrtime.bigint() - start) / N / 1000; // µs per sign
}

const rounds = [];
for (let r = 0; r < 5; r++) rounds.push([time(before), time(after)]);
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const b = median(rounds.map((x) => x[0]));
const a = median(rounds.map((x) => x[1]));
console.log(`sign-path crypto, median of 5 rounds of ${N}:`);
console.log(`  before (one DataProtector):   ${b.toFixed(2)} µs per signature`);
console.log(
  `  after  (cached petition keys): ${a.toFixed(2)} µs per signature (+${(a - b).toFixed(2)} µs)`,
);
