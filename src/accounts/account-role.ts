export enum AccountRole {
  Organiser = 'organiser',
  Moderator = 'moderator',
  Admin = 'admin',
}

export const ACCOUNT_ROLES = Object.values(AccountRole);

/** The bootstrap admin's row, created by the first migration; it authenticates with ADMIN_TOKEN. */
export const BOOTSTRAP_ADMIN_ID = '00000000-0000-4000-8000-000000000001';
