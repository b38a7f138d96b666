/** Purpose bound into a sign-in link's encrypted token (see DataProtector). Never change it. */
export const SIGN_IN_TOKEN_PURPOSE = 'sign-in-link.token';

/** A sign-in link works this long, and once. */
export const SIGN_IN_LINK_MINUTES = 15;
