import {
  CreateInvalidationDto,
  INVALIDATABLE_STATUSES,
  type InvalidationResponse,
} from '../../../moderation/dto/invalidation.dto.js';
import type { Speech } from '../../i18n/messages.js';
import type { PageFieldError } from '../../views/form-parts.js';
import { checkDto, fieldErrors, given, text } from './form-checks.js';

/** The criteria form's text fields, in the order the page shows them. */
export const CRITERIA_FIELDS = [
  'emailDomain',
  'sameSourceAs',
  'fullNamePattern',
  'district',
  'createdFrom',
  'createdTo',
] as const;
export type CriteriaField = (typeof CRITERIA_FIELDS)[number];

/** What the criteria form holds, as the person typed it (shown again when it comes back). */
export interface InvalidationFormValues {
  petitionId: string;
  criteria: Record<CriteriaField, string>;
  statuses: string[];
  reasonCode: string;
  note: string;
}

export function emptyInvalidationForm(petitionId = ''): InvalidationFormValues {
  return {
    petitionId,
    criteria: {
      emailDomain: '',
      sameSourceAs: '',
      fullNamePattern: '',
      district: '',
      createdFrom: '',
      createdTo: '',
    },
    statuses: [...INVALIDATABLE_STATUSES],
    reasonCode: '',
    note: '',
  };
}

/** The form filled in from an invalidation, to change its criteria and preview again. */
export function formFrom(invalidation: InvalidationResponse): InvalidationFormValues {
  const stored = invalidation.criteria as Record<string, unknown>;
  const form = emptyInvalidationForm(invalidation.petitionId);
  for (const name of CRITERIA_FIELDS) {
    const value = stored[name];
    if (typeof value !== 'string') continue;
    form.criteria[name] =
      name === 'createdFrom' || name === 'createdTo' ? toLocalInput(value) : value;
  }
  if (Array.isArray(stored.statuses)) form.statuses = stored.statuses.map(String);
  form.reasonCode = invalidation.reasonCode;
  form.note = invalidation.note ?? '';
  return form;
}

export function readInvalidationForm(body: unknown): InvalidationFormValues {
  const form = emptyInvalidationForm(text(body, 'petitionId') ?? '');
  for (const name of CRITERIA_FIELDS) form.criteria[name] = text(body, name) ?? '';
  const statuses = (body as Record<string, unknown> | undefined)?.statuses;
  form.statuses = (
    Array.isArray(statuses) ? statuses : statuses === undefined ? [] : [statuses]
  ).filter((s): s is string => typeof s === 'string');
  form.reasonCode = text(body, 'reasonCode') ?? '';
  form.note = text(body, 'note') ?? '';
  return form;
}

/**
 * Checks the form with the API's own DTO (CreateInvalidationDto) and words each problem in the
 * page's language. Empty criteria are left out, as a client would leave them out of the JSON.
 * Times come from `datetime-local` inputs, in UTC: "2027-03-01T14:05" is sent as "…14:05Z".
 */
export async function validateInvalidationForm(
  form: InvalidationFormValues,
  s: Speech,
): Promise<{ dto: CreateInvalidationDto; errors: PageFieldError[] }> {
  const criteria: Record<string, unknown> = { statuses: form.statuses };
  for (const name of CRITERIA_FIELDS) {
    const value = given(form.criteria, name);
    if (value === undefined) continue;
    criteria[name] = name === 'createdFrom' || name === 'createdTo' ? toInstant(value) : value;
  }
  const { dto, issues } = await checkDto(CreateInvalidationDto, {
    petitionId: form.petitionId,
    criteria,
    reasonCode: form.reasonCode,
    note: given(form, 'note'),
    dryRun: true,
  });
  const t = s.t.consoleModeration;
  const i = t.invalidations;
  const errors = fieldErrors(s, issues, [
    {
      field: 'petitionId',
      label: t.petition,
      required: t.validation.choosePetition,
      special: t.validation.choosePetition,
    },
    { field: 'criteria.emailDomain', id: 'emailDomain', label: t.emailDomain },
    {
      field: 'criteria.sameSourceAs',
      id: 'sameSourceAs',
      label: i.sameSourceAs,
      special: t.validation.signatureId(i.sameSourceAs),
    },
    { field: 'criteria.fullNamePattern', id: 'fullNamePattern', label: i.fullNamePattern },
    { field: 'criteria.district', id: 'district', label: t.district },
    {
      field: 'criteria.createdFrom',
      id: 'createdFrom',
      label: i.createdFrom,
      special: t.validation.dateTime(i.createdFrom),
    },
    {
      field: 'criteria.createdTo',
      id: 'createdTo',
      label: i.createdTo,
      special: t.validation.dateTime(i.createdTo),
    },
    {
      field: 'criteria.statuses',
      id: `statuses-${INVALIDATABLE_STATUSES[0]}`,
      label: i.statusesLegend,
      special: t.validation.atLeastOneStatus,
    },
    {
      field: 'reasonCode',
      label: t.reason,
      required: t.validation.chooseReason,
      special: t.validation.reasonNotFit(s.t.consoleModeration.review.rejectButton),
    },
    { field: 'note', label: t.note },
  ]);
  // The service's rule too, but said here with the others, so every problem shows at once.
  const narrowed = CRITERIA_FIELDS.some((name) => given(form.criteria, name) !== undefined);
  if (!narrowed && !errors.some((e) => CRITERIA_FIELDS.includes(e.field as CriteriaField))) {
    const at = errors.findIndex((e) => e.field !== 'petitionId');
    const problem = { field: 'emailDomain', message: t.validation.atLeastOneCriterion };
    errors.splice(at === -1 ? errors.length : at, 0, problem);
  }
  return { dto, errors };
}

/** A `datetime-local` value as an instant in UTC; anything else is passed on for the DTO to refuse. */
function toInstant(value: string): string {
  const trimmed = value.trim();
  const local = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2})(:\d{2}(?:\.\d{1,3})?)?$/.exec(trimmed);
  // RFC 3339 wants the seconds, which a datetime-local input leaves out.
  return local ? `${local[1]}${local[2] ?? ':00'}Z` : trimmed;
}

/** A stored instant (UTC) as a `datetime-local` value, to the minute. */
function toLocalInput(value: string): string {
  const date = new Date(value);
  return Number.isNaN(date.getTime()) ? value : date.toISOString().slice(0, 16);
}
