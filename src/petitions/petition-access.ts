import { isAdmin, isModerator, type Principal } from '../common/auth/principal.js';
import { DomainError } from '../common/errors/domain-error.js';
import { Petition } from './petition.entity.js';
import { PUBLIC_PETITION_STATUSES } from './petition-status.js';

/**
 * Who may see and act on a petition. A petition the caller may not see is reported as not found,
 * never forbidden, so drafts and rejected petitions do not leak their existence.
 */
export function canView(petition: Petition, principal: Principal | undefined): boolean {
  return (
    PUBLIC_PETITION_STATUSES.includes(petition.status) ||
    isModerator(principal) ||
    petition.organiserId === principal?.id
  );
}

export function isOwner(petition: Petition, principal: Principal | undefined): boolean {
  return petition.organiserId === principal?.id || isAdmin(principal);
}

/** 404 when invisible to the caller, 403 when visible but not theirs to change. */
export function assertOwner(petition: Petition, principal: Principal | undefined): void {
  if (!canView(petition, principal)) throw DomainError.notFound('Petition');
  if (!isOwner(petition, principal)) {
    throw new DomainError('forbidden', 'Only the petition’s organiser or an admin may do this');
  }
}

export function assertOwnerOrModerator(petition: Petition, principal: Principal | undefined): void {
  if (!canView(petition, principal)) throw DomainError.notFound('Petition');
  if (!isOwner(petition, principal) && !isModerator(principal)) {
    throw new DomainError(
      'forbidden',
      'Only the petition’s organiser, a moderator or an admin may do this',
    );
  }
}
