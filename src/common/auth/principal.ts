import { AccountRole } from '../../accounts/account-role.js';

/** The authenticated caller of a request. */
export interface Principal {
  id: string;
  role: AccountRole;
}

export function isModerator(principal: Principal | undefined): boolean {
  return principal?.role === AccountRole.Moderator || principal?.role === AccountRole.Admin;
}

export function isAdmin(principal: Principal | undefined): boolean {
  return principal?.role === AccountRole.Admin;
}
