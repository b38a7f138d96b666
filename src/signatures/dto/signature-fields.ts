import { applyDecorators } from '@nestjs/common';
import { Trim } from '../../common/validation/trim.decorator.js';
import { IsBoolean, IsEmail, IsString, MaxLength } from '../../common/validation/validators.js';

/**
 * The longest value each signer field takes, in characters, for signing, import, the OpenAPI
 * document and the sign form's `maxlength`. A required field's minimum is `Required()`: not empty.
 */
export const SIGNER_FIELD_LIMITS = {
  fullName: { maxLength: 200 },
  email: { maxLength: 254 },
  district: { maxLength: 200 },
  title: { maxLength: 200 },
  comment: { maxLength: 1000 },
} as const satisfies Record<string, { minLength?: number; maxLength: number }>;

const L = SIGNER_FIELD_LIMITS;

/**
 * The rules of each signer field, shared by signing and import. Whether a field is required
 * differs between them (an imported row may have no email), so `Required()` is on the DTOs.
 */
export const SignatureFields = {
  fullName: () => applyDecorators(Trim(), IsString(), MaxLength(L.fullName.maxLength)),
  email: () =>
    applyDecorators(
      Trim(),
      IsString(),
      MaxLength(L.email.maxLength),
      IsEmail({ allow_ip_domain: false, require_tld: true }),
    ),
  district: () => applyDecorators(Trim(), IsString(), MaxLength(L.district.maxLength)),
  title: () => applyDecorators(Trim(), IsString(), MaxLength(L.title.maxLength)),
  displayPublicly: () => IsBoolean(),
  comment: () => applyDecorators(Trim(), IsString(), MaxLength(L.comment.maxLength)),
};
