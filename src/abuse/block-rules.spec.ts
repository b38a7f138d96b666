import {
  type ActiveBlock,
  BLOCK_REASON_CODES,
  blockCovers,
  decidingBlock,
  domainCandidates,
  formatDomainPattern,
  parseDomainPattern,
} from './block-rules.js';

const PETITION = '11111111-1111-4111-8111-111111111111';
const OTHER = '22222222-2222-4222-8222-222222222222';

function block(overrides: Partial<ActiveBlock>): ActiveBlock {
  return {
    id: '00000000-0000-4000-8000-000000000001',
    kind: 'email_domain',
    value: 'example.org',
    domain: 'example.org',
    subdomains: false,
    sourceIndex: null,
    petitionId: null,
    action: 'reject',
    reasonCode: 'fraudulent',
    createdAt: new Date('2027-01-01T00:00:00Z'),
    ...overrides,
  };
}

const signer = (emailDomain: string | null, sourceIndex: Buffer | null = null) => ({
  petitionId: PETITION,
  emailDomain,
  sourceIndex,
});

describe('parseDomainPattern', () => {
  it('normalises case, a trailing dot and internationalised names', () => {
    expect(parseDomainPattern(' Example.ORG. ')).toEqual({
      domain: 'example.org',
      subdomains: false,
    });
    expect(parseDomainPattern('*.Mail.Example.org')).toEqual({
      domain: 'mail.example.org',
      subdomains: true,
    });
    expect(parseDomainPattern('пример.рф')).toEqual({
      domain: 'xn--e1afmkfd.xn--p1ai',
      subdomains: false,
    });
    expect(parseDomainPattern('*.xyz')).toEqual({ domain: 'xyz', subdomains: true });
    expect(formatDomainPattern({ domain: 'example.org', subdomains: true })).toBe('*.example.org');
  });

  it.each([
    '',
    '*.',
    'org',
    '*example.org',
    'a.*.example.org',
    'user@example.org',
    'exa mple.org',
    '-bad.example.org',
    'a..b',
    'under_score.org',
    '1.2.3.4',
    `${'a'.repeat(64)}.org`,
    `${'a.'.repeat(127)}org`,
  ])('refuses %j', (raw) => {
    expect(parseDomainPattern(raw)).toBeNull();
  });
});

describe('domainCandidates', () => {
  it('lists the domain and each parent, in ASCII', () => {
    expect(domainCandidates('b.a.example.org')).toEqual({
      exact: 'b.a.example.org',
      parents: ['a.example.org', 'example.org', 'org'],
    });
    expect(domainCandidates('почта.пример.рф').parents[0]).toBe('xn--e1afmkfd.xn--p1ai');
  });
});

describe('blockCovers', () => {
  it('covers the domain itself, without a wildcard, and nothing under it', () => {
    const exact = block({});
    expect(blockCovers(exact, signer('example.org'))).toBe(true);
    expect(blockCovers(exact, signer('a.example.org'))).toBe(false);
    expect(blockCovers(exact, signer('notexample.org'))).toBe(false);
  });

  it('covers every name under a wildcard’s domain, at any depth, but not the domain itself', () => {
    const wildcard = block({ value: '*.example.org', subdomains: true });
    expect(blockCovers(wildcard, signer('a.example.org'))).toBe(true);
    expect(blockCovers(wildcard, signer('b.a.example.org'))).toBe(true);
    expect(blockCovers(wildcard, signer('example.org'))).toBe(false);
    expect(blockCovers(wildcard, signer('badexample.org'))).toBe(false);
    expect(blockCovers(wildcard, signer(null))).toBe(false);
  });

  it('matches a signer’s internationalised domain however it was written', () => {
    const idn = block({ domain: 'xn--e1afmkfd.xn--p1ai', value: 'xn--e1afmkfd.xn--p1ai' });
    expect(blockCovers(idn, signer('пример.рф'))).toBe(true);
  });

  it('covers a source by its hash, and only on its petition when it has one', () => {
    const hash = Buffer.alloc(32, 7);
    const source = block({ kind: 'source', domain: null, sourceIndex: hash, petitionId: PETITION });
    expect(blockCovers(source, signer(null, Buffer.alloc(32, 7)))).toBe(true);
    expect(blockCovers(source, signer(null, Buffer.alloc(32, 8)))).toBe(false);
    expect(blockCovers(source, signer('example.org', null))).toBe(false);
    expect(blockCovers(source, { ...signer(null, hash), petitionId: OTHER })).toBe(false);
  });
});

describe('decidingBlock', () => {
  it('prefers a rejection, then the petition’s own block, then the oldest', () => {
    const globalReview = block({ id: 'a', action: 'review' });
    const globalReject = block({ id: 'b', createdAt: new Date('2027-02-01T00:00:00Z') });
    const petitionReject = block({
      id: 'c',
      petitionId: PETITION,
      createdAt: new Date('2027-03-01T00:00:00Z'),
    });
    const elsewhere = block({ id: 'd', petitionId: OTHER });
    expect(decidingBlock([globalReview], signer('example.org'))?.block.id).toBe('a');
    expect(decidingBlock([globalReview, globalReject], signer('example.org'))?.block.id).toBe('b');
    expect(
      decidingBlock([globalReview, globalReject, petitionReject, elsewhere], signer('example.org')),
    ).toEqual({ block: petitionReject, others: 2 });
    expect(decidingBlock([elsewhere], signer('example.org'))).toBeNull();
  });
});

it('lets blocks reject with a moderator’s rejection reasons, never the signer’s own request', () => {
  expect(BLOCK_REASON_CODES).toEqual(expect.arrayContaining(['fraudulent', 'duplicate', 'other']));
  expect(BLOCK_REASON_CODES).not.toContain('signer_request');
  expect(BLOCK_REASON_CODES).not.toContain('identity_confirmed');
});
