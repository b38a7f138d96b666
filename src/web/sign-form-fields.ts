import { plainToInstance } from 'class-transformer';
import { validate } from 'class-validator';
import {
  toValidationIssues,
  type ValidationIssue,
} from '../common/validation/validation-issues.js';
import { SignDto } from '../signatures/dto/sign.dto.js';
import { SIGNER_FIELD_LIMITS } from '../signatures/dto/signature-fields.js';
import type { Speech } from './i18n/messages.js';
import type { PageFieldError } from './views/form-parts.js';
import type { SignFormState } from './views/sign-form.js';

type TextField = keyof typeof SIGNER_FIELD_LIMITS;
const TEXT_FIELDS = Object.keys(SIGNER_FIELD_LIMITS) as TextField[];
/** Fields of the page form that are not signature fields. */
const FORM_ONLY = new Set(['formToken', 'lang']);

export interface SubmittedSignForm {
  formToken: unknown;
  /** A register invitation's token (hidden field), when signing through one. */
  invitation: string | undefined;
  state: SignFormState;
  /** Names of fields the form does not have: refused, as the API refuses unknown fields. */
  unknown: string[];
}

/** Reads a posted sign form (`application/x-www-form-urlencoded`, parsed by @fastify/formbody). */
export function readSignForm(body: unknown): SubmittedSignForm {
  const fields = body !== null && typeof body === 'object' ? (body as Record<string, unknown>) : {};
  const values: SignFormState['values'] = {};
  for (const name of TEXT_FIELDS) {
    const value = fields[name];
    // A field sent twice arrives as an array: keep the first, the rest is not ours.
    const text = Array.isArray(value) ? value[0] : value;
    if (typeof text === 'string') values[name] = text;
  }
  values.displayPublicly = fields.displayPublicly !== undefined;
  const rawInvitation = Array.isArray(fields.invitation) ? fields.invitation[0] : fields.invitation;
  const invitation =
    typeof rawInvitation === 'string' && rawInvitation.trim() !== ''
      ? rawInvitation.trim()
      : undefined;
  const unknown = Object.keys(fields).filter(
    (name) =>
      !FORM_ONLY.has(name) &&
      name !== 'invitation' &&
      name !== 'displayPublicly' &&
      !TEXT_FIELDS.includes(name as TextField),
  );
  return { formToken: fields.formToken, invitation, state: { values, errors: [] }, unknown };
}

/**
 * Checks the form with the API's own rules (SignDto), and words each problem in the page's
 * language. Returns the DTO to sign with, or the problems.
 */
export async function validateSignForm(
  state: SignFormState,
  s: Speech,
  invitation?: string,
): Promise<{ dto: SignDto; errors: [] } | { dto: null; errors: PageFieldError[] }> {
  const plain: Record<string, unknown> = { displayPublicly: state.values.displayPublicly ?? false };
  if (invitation !== undefined) plain.invitation = invitation;
  for (const name of TEXT_FIELDS) {
    const value = state.values[name];
    const empty = value === undefined || value.trim() === '';
    // Optional fields left empty are not given; required ones go on, to be reported (with an
    // invitation, the entry gives the name and email).
    const required = invitation === undefined && (name === 'fullName' || name === 'email');
    if (!empty || required) plain[name] = value ?? '';
  }
  const dto = plainToInstance(SignDto, plain);
  const problems = await validate(dto, { whitelist: true, forbidNonWhitelisted: true });
  const nul = TEXT_FIELDS.filter((name) => state.values[name]?.includes('\0'));
  if (problems.length === 0 && nul.length === 0) return { dto, errors: [] };
  const issues = toValidationIssues(problems);
  const errors = TEXT_FIELDS.flatMap((name): PageFieldError[] => {
    const issue = issues.find((i) => i.field === name);
    if (issue) return [{ field: name, message: wordIssue(name, issue, s) }];
    return nul.includes(name)
      ? [{ field: name, message: s.t.validation.invalid(s.t.sign[name]) }]
      : [];
  });
  return { dto: null, errors };
}

/** One field's problem in the page's words: the API's rule, named by the field's label. */
function wordIssue(name: TextField, issue: ValidationIssue, s: Speech): string {
  const label = s.t.sign[name];
  switch (issue.rule) {
    case 'required':
      return s.t.validation.required(label);
    case 'tooLong':
      return s.t.validation.tooLong(label, s.f, issue.limit ?? SIGNER_FIELD_LIMITS[name].maxLength);
    case 'email':
      return s.t.validation.email(label);
    default:
      return s.t.validation.invalid(label);
  }
}
