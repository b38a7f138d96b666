import { applyDecorators } from '@nestjs/common';
import { IsBoolean, IsEmail, IsString, Length, MaxLength } from 'class-validator';
import { Trim } from '../../common/validation/trim.decorator.js';

/** The rules of each signer field, shared by signing and import. */
export const SignatureFields = {
  fullName: () => applyDecorators(Trim(), IsString(), Length(1, 200)),
  email: () =>
    applyDecorators(
      Trim(),
      IsString(),
      MaxLength(254),
      IsEmail(
        { allow_ip_domain: false, require_tld: true },
        { message: 'email must be an email address' },
      ),
    ),
  district: () => applyDecorators(Trim(), IsString(), MaxLength(200)),
  title: () => applyDecorators(Trim(), IsString(), MaxLength(200)),
  displayPublicly: () => IsBoolean(),
  comment: () => applyDecorators(Trim(), IsString(), MaxLength(1000)),
};
