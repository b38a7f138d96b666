import { allowsTransition, type TransitionTable } from '../common/state/transition-table.js';

export enum PetitionStatus {
  Draft = 'draft',
  Submitted = 'submitted',
  Open = 'open',
  Rejected = 'rejected',
  Closed = 'closed',
}

export const PETITION_STATUSES = Object.values(PetitionStatus);

/**
 * The petition lifecycle, in one place. Every status change goes through
 * `PetitionTransitionsService.transition`, which refuses anything not listed here.
 * Who may ask for each change is checked by the use case (organiser, moderator, or the system
 * when `closesAt` passes).
 */
export const PETITION_TRANSITIONS: TransitionTable<PetitionStatus> = {
  [PetitionStatus.Draft]: [PetitionStatus.Submitted],
  [PetitionStatus.Submitted]: [PetitionStatus.Open, PetitionStatus.Rejected],
  [PetitionStatus.Open]: [PetitionStatus.Closed],
  [PetitionStatus.Rejected]: [],
  [PetitionStatus.Closed]: [],
};

export function canTransition(from: PetitionStatus, to: PetitionStatus): boolean {
  return allowsTransition(PETITION_TRANSITIONS, from, to);
}

/** Statuses anyone may see; the others only the organiser and moderators. */
export const PUBLIC_PETITION_STATUSES: readonly PetitionStatus[] = [
  PetitionStatus.Open,
  PetitionStatus.Closed,
];

/** Languages of the signer mails; a petition picks one, a signer's Accept-Language may override it. */
export enum MailLanguage {
  En = 'en',
  Ru = 'ru',
}

export enum Eligibility {
  Review = 'review',
  Strict = 'strict',
}

/** Why a moderator rejects a petition. Stable codes: add, never rename. */
export const PETITION_REASON_CODES = {
  spam: 'Spam or advertising',
  duplicate_petition: 'Duplicates an existing petition',
  unlawful: 'Asks for something unlawful or incites hatred',
  personal_data: 'Exposes personal data of third parties',
  unclear: 'Too unclear to sign: addressee or demand missing',
  other: 'Another reason, explained in the note',
} as const;

export type PetitionReasonCode = keyof typeof PETITION_REASON_CODES;
