import { plainToInstance } from 'class-transformer';
import { validate } from 'class-validator';
import {
  toValidationIssues,
  type ValidationIssue,
} from '../../../common/validation/validation-issues.js';
import { CreatePetitionDto } from '../../../petitions/dto/create-petition.dto.js';
import { UpdatePetitionDto } from '../../../petitions/dto/update-petition.dto.js';
import type { Petition } from '../../../petitions/petition.entity.js';
import { Eligibility } from '../../../petitions/petition-status.js';
import type { Language, Speech } from '../../i18n/messages.js';
import type { PageFieldError } from '../../views/form-parts.js';
import { parseDateTime } from '../../../common/validation/validators.js';

/** The form's fields, named as the JSON API names them, in the order the form shows them. */
export const PETITION_FORM_FIELDS = [
  'title',
  'body',
  'addressee',
  'signatureGoal',
  'closesAt',
  'requireEmailConfirmation',
  'registerId',
  'eligibility',
  'language',
] as const;

export type PetitionFormField = (typeof PETITION_FORM_FIELDS)[number];

/** What the form holds, as typed: text, except the one checkbox. */
export type PetitionFormValues = Record<
  Exclude<PetitionFormField, 'requireEmailConfirmation'>,
  string
> & { requireEmailConfirmation: boolean };

/** The limits the inputs' `maxlength` give; the DTOs check them again. */
export const PETITION_FIELD_MAX = { title: 200, body: 20_000, addressee: 200 } as const;
export const SIGNATURE_GOAL_RANGE = { min: 1, max: 100_000_000 } as const;

/** Fields of the page form that are not petition fields. */
const FORM_ONLY = new Set(['_csrf', 'lang']);

/** A new petition's form: email confirmation on, review for the unlisted, mails in `lang`. */
export function emptyPetitionForm(lang: Language): PetitionFormValues {
  return {
    title: '',
    body: '',
    addressee: '',
    signatureGoal: '',
    closesAt: '',
    requireEmailConfirmation: true,
    registerId: '',
    eligibility: Eligibility.Review,
    language: lang,
  };
}

/** A petition's fields as the form shows them (the closing time in UTC, to the minute). */
export function petitionFormValues(petition: Petition): PetitionFormValues {
  return {
    title: petition.title,
    body: petition.body,
    addressee: petition.addressee,
    signatureGoal: petition.signatureGoal === null ? '' : String(petition.signatureGoal),
    closesAt: petition.closesAt ? petition.closesAt.toISOString().slice(0, 16) : '',
    requireEmailConfirmation: petition.requireEmailConfirmation,
    registerId: petition.registerId ?? '',
    eligibility: petition.eligibility,
    language: petition.language,
  };
}

/**
 * Reads a posted petition form. An unticked checkbox is not sent, so its absence means "no":
 * the form always shows it. Names of fields the form does not have come back in `unknown`.
 */
export function readPetitionForm(body: unknown): {
  values: PetitionFormValues;
  unknown: string[];
} {
  const fields = body !== null && typeof body === 'object' ? (body as Record<string, unknown>) : {};
  const text = (name: string): string => {
    const value = fields[name];
    // A field sent twice arrives as an array: keep the first, the rest is not ours.
    const first = Array.isArray(value) ? value[0] : value;
    return typeof first === 'string' ? first : '';
  };
  const values: PetitionFormValues = {
    title: text('title'),
    body: text('body'),
    addressee: text('addressee'),
    signatureGoal: text('signatureGoal'),
    closesAt: text('closesAt'),
    requireEmailConfirmation: fields.requireEmailConfirmation !== undefined,
    registerId: text('registerId'),
    eligibility: text('eligibility'),
    language: text('language'),
  };
  const known = new Set<string>(PETITION_FORM_FIELDS);
  const unknown = Object.keys(fields).filter((name) => !known.has(name) && !FORM_ONLY.has(name));
  return { values, unknown };
}

/** `2027-03-01T18:00` (a datetime-local input), `2027-03-01 18:00` or `2027-03-01`, read as UTC. */
const LOCAL_TIME = /^(\d{4}-\d{2}-\d{2})(?:[T ](\d{2}:\d{2})(:\d{2})?)?$/;

/** The closing time the form means, as an ISO instant, or null when it is not a date and time. */
export function closingInstant(value: string): string | null {
  const trimmed = value.trim();
  const explicit =
    /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2})(:\d{2}(?:\.\d{1,3})?)?(Z|[+-]\d{2}:\d{2})$/.exec(trimmed);
  // RFC 3339 wants the seconds, which a person may leave out.
  if (explicit) {
    const instant = `${explicit[1]}${explicit[2] ?? ':00'}${explicit[3]}`;
    return parseDateTime(instant) ? instant : null;
  }
  const match = LOCAL_TIME.exec(trimmed);
  if (!match) return null;
  const iso = `${match[1]}T${match[2] ?? '00:00'}${match[3] ?? ':00'}Z`;
  // Date.parse takes 2027-02-31 and rolls it over; a real date reads back the same.
  const parsed = Date.parse(iso);
  if (Number.isNaN(parsed) || new Date(parsed).toISOString().slice(0, 10) !== match[1]) return null;
  return iso;
}

/**
 * The plain object the API would have received. Empty optional fields are left out of a new
 * petition and cleared (`null`) on an edit, as a JSON client would say it.
 */
function toPlain(values: PetitionFormValues, mode: 'create' | 'update'): Record<string, unknown> {
  const none = mode === 'create' ? undefined : null;
  const goal = values.signatureGoal.replace(/\s/g, '');
  const closes = values.closesAt.trim();
  const plain: Record<string, unknown> = {
    title: values.title,
    body: values.body,
    addressee: values.addressee,
    signatureGoal: goal === '' ? none : /^\d{1,12}$/.test(goal) ? Number(goal) : goal,
    // Not a date: a value class-transformer turns into an invalid Date, which IsDate reports.
    closesAt: closes === '' ? none : (closingInstant(closes) ?? 'not a date'),
    requireEmailConfirmation: values.requireEmailConfirmation,
    registerId: values.registerId.trim() === '' ? none : values.registerId.trim(),
    eligibility: values.eligibility === '' ? undefined : values.eligibility,
    language: values.language === '' ? undefined : values.language,
  };
  for (const key of Object.keys(plain)) if (plain[key] === undefined) delete plain[key];
  return plain;
}

export type CheckedPetitionForm<T> =
  { dto: T; errors: [] } | { dto: null; errors: PageFieldError[] };

/**
 * Checks the form with the API's own rules (CreatePetitionDto or UpdatePetitionDto), and words
 * each problem in the page's language, next to its field.
 */
export async function validatePetitionForm(
  values: PetitionFormValues,
  mode: 'create',
  s: Speech,
): Promise<CheckedPetitionForm<CreatePetitionDto>>;
export async function validatePetitionForm(
  values: PetitionFormValues,
  mode: 'update',
  s: Speech,
): Promise<CheckedPetitionForm<UpdatePetitionDto>>;
export async function validatePetitionForm(
  values: PetitionFormValues,
  mode: 'create' | 'update',
  s: Speech,
): Promise<CheckedPetitionForm<CreatePetitionDto | UpdatePetitionDto>> {
  const type = mode === 'create' ? CreatePetitionDto : UpdatePetitionDto;
  const dto = plainToInstance(type, toPlain(values, mode));
  const problems = await validate(dto, { whitelist: true, forbidNonWhitelisted: true });
  // PostgreSQL text cannot hold U+0000; the API refuses it for the whole body.
  const nul = PETITION_FORM_FIELDS.filter((name) => {
    const value = values[name];
    return typeof value === 'string' && value.includes('\0');
  });
  if (problems.length === 0 && nul.length === 0) return { dto, errors: [] };
  const issues = toValidationIssues(problems);
  const errors = PETITION_FORM_FIELDS.flatMap((name): PageFieldError[] => {
    const issue = issues.find((i) => i.field === name);
    if (issue) return [{ field: name, message: wordPetitionIssue(name, issue, values, s) }];
    return nul.includes(name)
      ? [{ field: name, message: s.t.validation.invalid(s.t.consolePetitions.form[name]) }]
      : [];
  });
  return { dto: null, errors };
}

/** One field's problem in the page's words: the API's rule, named by the field's label. */
export function wordPetitionIssue(
  name: PetitionFormField,
  issue: Pick<ValidationIssue, 'rule' | 'limit'>,
  values: PetitionFormValues,
  s: Speech,
): string {
  const label = s.t.consolePetitions.form[name];
  const v = s.t.consolePetitions.validation;
  switch (issue.rule) {
    case 'required':
      return s.t.validation.required(label);
    case 'tooShort':
      return v.tooShort(label, s.f, issue.limit ?? 1);
    case 'tooLong':
      return s.t.validation.tooLong(
        label,
        s.f,
        issue.limit ?? PETITION_FIELD_MAX[name as keyof typeof PETITION_FIELD_MAX] ?? 200,
      );
    default:
      break;
  }
  switch (name) {
    case 'signatureGoal':
      return v.wholeNumber(label, s.f, SIGNATURE_GOAL_RANGE.min, SIGNATURE_GOAL_RANGE.max);
    case 'closesAt':
      // A date and time that reads well and still fails is one that has passed.
      return closingInstant(values.closesAt) ? v.future(label) : v.dateTime(label);
    case 'registerId':
    case 'eligibility':
    case 'language':
      return v.choose(label);
    default:
      return s.t.validation.invalid(label);
  }
}
