import { type ClassConstructor, plainToInstance } from 'class-transformer';
import { validate } from 'class-validator';
import type { FastifyReply } from 'fastify';
import {
  toValidationIssues,
  type ValidationIssue,
} from '../../../common/validation/validation-issues.js';
import type { Language, Speech } from '../../i18n/messages.js';
import type { PageFieldError } from '../../views/form-parts.js';

export { UUID } from '../../../common/validation/uuid.js';

/**
 * Validates what a console form sent with the API's own DTO, as the API would (unknown fields
 * refused), and gives the DTO or the issues to word.
 */
export async function checkDto<T extends object>(
  type: ClassConstructor<T>,
  plain: Record<string, unknown>,
): Promise<{ dto: T; issues: ValidationIssue[] }> {
  const dto = plainToInstance(type, plain);
  const problems = await validate(dto, { whitelist: true, forbidNonWhitelisted: true });
  return { dto, issues: toValidationIssues(problems) };
}

/**
 * One field's problem in the page's words, from the API's rule: the field named by its label.
 * `special` words the rules the general ones do not (an id, a date, a choice from a list).
 */
export function wordIssue(
  s: Speech,
  label: string,
  issue: ValidationIssue,
  special?: string,
  required?: string,
): string {
  switch (issue.rule) {
    case 'required':
      return required ?? s.t.validation.required(label);
    case 'tooLong':
      return s.t.validation.tooLong(label, s.f, issue.limit ?? 0);
    case 'tooShort':
      return s.t.validation.required(label);
    default:
      return special ?? s.t.validation.invalid(label);
  }
}

/** The form's errors, one per field, in the order of `fields` (the order they appear on the page). */
export function fieldErrors(
  s: Speech,
  issues: ValidationIssue[],
  fields: Array<{
    field: string;
    /** The input's id on the page, when it is not the field's name. */
    id?: string;
    label: string;
    /** How to word a broken rule other than required or a length (a choice, an id, a date). */
    special?: string;
    /** How to word a missing value, when not "<label> is required" (a choice to make). */
    required?: string;
  }>,
): PageFieldError[] {
  return fields.flatMap(({ field, id, label, special, required }) => {
    const issue = issues.find((i) => i.field === field || i.field.startsWith(`${field}[`));
    return issue
      ? [{ field: id ?? field, message: wordIssue(s, label, issue, special, required) }]
      : [];
  });
}

/** Post/Redirect/Get: 303 to a console page in the form's language, with its query. */
export function seeOther(
  reply: FastifyReply,
  path: string,
  lang: Language,
  query: Record<string, string | undefined> = {},
): void {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) if (value) params.set(key, value);
  params.set('lang', lang);
  void reply.status(303).header('location', `${path}?${params}`).send();
}

/** A form field that is text, first of several if it was sent more than once. */
export function text(body: unknown, name: string): string | undefined {
  const value = (body as Record<string, unknown> | undefined)?.[name];
  const first = Array.isArray(value) ? value[0] : value;
  return typeof first === 'string' ? first : undefined;
}

/** The text of a field, or undefined when it is empty (after trimming): an optional field left out. */
export function given(body: unknown, name: string): string | undefined {
  const value = text(body, name);
  return value === undefined || value.trim() === '' ? undefined : value;
}
