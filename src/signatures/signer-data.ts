/**
 * Purposes bound into the encryption and blind indexes of signer data (see DataProtector): a
 * value protected for one purpose cannot be read or matched as another. Never change a value:
 * stored data depends on it.
 */
export const EMAIL_PURPOSE = 'signatory.email';
export const TOKEN_PURPOSE = 'signature.token';
export const SOURCE_PURPOSE = 'signature.source-ip';
export const USER_AGENT_PURPOSE = 'signature.user-agent';
/**
 * A signature's source hash under the service-wide index key (the one global source blocks hold),
 * kept only encrypted under its petition's data key, bound to its row.
 */
export const SOURCE_GLOBAL_PURPOSE = 'signature.source-global';
