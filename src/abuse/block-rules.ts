import { domainToASCII } from 'node:url';
import { reasonCodesFor, type SignatureReasonCode } from '../signatures/signature-reason-codes.js';

export const BLOCK_KINDS = ['email_domain', 'source'] as const;
export type BlockKind = (typeof BLOCK_KINDS)[number];

export const BLOCK_ACTIONS = ['reject', 'review'] as const;
export type BlockAction = (typeof BLOCK_ACTIONS)[number];

/** What a block's list shows: those in force, those removed by a moderator, those past expiry. */
export const BLOCK_STATES = ['active', 'removed', 'expired'] as const;
export type BlockState = (typeof BLOCK_STATES)[number];

/**
 * The reasons a block's rejections may carry: those a moderator may give to reject, except the
 * signer's own request, which a block never is (the signer would read it in their lookup).
 */
export const BLOCK_REASON_CODES: SignatureReasonCode[] = reasonCodesFor('reject').filter(
  (code) => code !== 'signer_request',
);
export const DEFAULT_BLOCK_REASON: SignatureReasonCode = 'fraudulent';

/** An email-domain block's value, parsed. */
export interface DomainPattern {
  /** Lower-case ASCII (IDNA, so `пример.рф` and `xn--e1afmkfd.xn--p1ai` are one domain). */
  domain: string;
  /**
   * `*.example.org`: every name under example.org, at any depth (`a.example.org`,
   * `b.a.example.org`), and not `example.org` itself; block that with a second block.
   */
  subdomains: boolean;
}

const LABEL = /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/;

/**
 * `example.org` or `*.example.org` (any case, a trailing dot allowed), as stored; null when it is
 * not a domain name. A bare name needs two labels (no address is `x@org`); under a wildcard one
 * will do (`*.xyz` blocks a whole top-level domain).
 */
export function parseDomainPattern(raw: string): DomainPattern | null {
  let value = raw.trim().toLowerCase().replace(/\.$/, '');
  const subdomains = value.startsWith('*.');
  if (subdomains) value = value.slice(2);
  if (value === '' || value.includes('*') || value.length > 253) return null;
  const ascii = domainToASCII(value);
  if (ascii === '' || ascii.length > 253) return null;
  const labels = ascii.split('.');
  if (!labels.every((label) => LABEL.test(label))) return null;
  if (labels.length < (subdomains ? 1 : 2)) return null;
  // A numeric last label is an IP address, which no signer's address may have.
  if (/^\d+$/.test(labels[labels.length - 1])) return null;
  return { domain: ascii, subdomains };
}

export function formatDomainPattern(pattern: DomainPattern): string {
  return pattern.subdomains ? `*.${pattern.domain}` : pattern.domain;
}

/**
 * The domains a block could name to cover a signer's email domain: the domain itself (an exact
 * block) and each parent (a `*.` block). Signers' domains are stored as typed, lower-cased;
 * they are compared in ASCII, as blocks are stored.
 */
export function domainCandidates(emailDomain: string): { exact: string; parents: string[] } {
  const exact = domainToASCII(emailDomain.toLowerCase()) || emailDomain.toLowerCase();
  const labels = exact.split('.');
  const parents: string[] = [];
  for (let i = 1; i < labels.length; i++) parents.push(labels.slice(i).join('.'));
  return { exact, parents };
}

/** A block in force, as the verification check sees it. */
export interface ActiveBlock {
  id: string;
  kind: BlockKind;
  value: string;
  domain: string | null;
  subdomains: boolean;
  sourceIndex: Buffer | null;
  petitionId: string | null;
  action: BlockAction;
  reasonCode: string;
  createdAt: Date;
}

/** What the check knows of a signature. */
export interface BlockSubject {
  petitionId: string;
  emailDomain: string | null;
  sourceIndex: Buffer | null;
}

export function blockCovers(block: ActiveBlock, subject: BlockSubject): boolean {
  if (block.petitionId !== null && block.petitionId !== subject.petitionId) return false;
  if (block.kind === 'source') {
    return (
      block.sourceIndex !== null &&
      subject.sourceIndex !== null &&
      block.sourceIndex.equals(subject.sourceIndex)
    );
  }
  if (subject.emailDomain === null || block.domain === null) return false;
  const { exact, parents } = domainCandidates(subject.emailDomain);
  return block.subdomains ? parents.includes(block.domain) : block.domain === exact;
}

/**
 * The block that decides, when several cover a signature: a rejection before a review, then one
 * made for this petition before one for all, then the oldest. The same every time it is asked.
 */
export function decidingBlock(
  blocks: readonly ActiveBlock[],
  subject: BlockSubject,
): { block: ActiveBlock; others: number } | null {
  const covering = blocks.filter((block) => blockCovers(block, subject));
  if (covering.length === 0) return null;
  const rank = (b: ActiveBlock) =>
    (b.action === 'reject' ? 0 : 2) + (b.petitionId !== null ? 0 : 1);
  const [block] = [...covering].sort(
    (a, b) =>
      rank(a) - rank(b) ||
      a.createdAt.getTime() - b.createdAt.getTime() ||
      a.id.localeCompare(b.id),
  );
  return { block, others: covering.length - 1 };
}
