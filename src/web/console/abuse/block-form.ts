import { BLOCK_KINDS, parseDomainPattern } from '../../../abuse/block-rules.js';
import { CreateBlockDto } from '../../../abuse/dto/block.dto.js';
import { DomainError } from '../../../common/errors/domain-error.js';
import type { Speech } from '../../i18n/messages.js';
import type { PageFieldError } from '../../views/form-parts.js';
import { checkDto, fieldErrors, given, text, UUID } from '../moderation/form-checks.js';

/** What the add-a-block form holds, as the person typed it (shown again when it comes back). */
export interface BlockFormValues {
  kind: string;
  value: string;
  /** '' for every petition. */
  petitionId: string;
  action: string;
  reasonCode: string;
  note: string;
  /** A `datetime-local` value, in UTC. */
  expiresAt: string;
}

export function emptyBlockForm(): BlockFormValues {
  return {
    kind: 'email_domain',
    value: '',
    petitionId: '',
    action: '',
    reasonCode: 'fraudulent',
    note: '',
    expiresAt: '',
  };
}

/** The form as an alert's "block this" link fills it in: what to block and the alert's petition. */
export function prefilledBlockForm(query: unknown): { form: BlockFormValues; prefilled: boolean } {
  const form = emptyBlockForm();
  const kind = text(query, 'kind');
  const value = given(query, 'value');
  if (kind && (BLOCK_KINDS as readonly string[]).includes(kind)) form.kind = kind;
  if (value) form.value = value.slice(0, 253);
  const petitionId = text(query, 'petitionId');
  if (petitionId && UUID.test(petitionId)) form.petitionId = petitionId;
  return { form, prefilled: value !== undefined };
}

export function readBlockForm(body: unknown): BlockFormValues {
  return {
    kind: text(body, 'kind') ?? '',
    value: text(body, 'value') ?? '',
    petitionId: text(body, 'petitionId') ?? '',
    action: text(body, 'action') ?? '',
    reasonCode: text(body, 'reasonCode') ?? '',
    note: text(body, 'note') ?? '',
    expiresAt: text(body, 'expiresAt') ?? '',
  };
}

const LOCAL_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,3})?)?$/;

/**
 * Checks the form with the API's own DTO (CreateBlockDto) and words each problem in the page's
 * language, in the order the fields appear. The value is judged as the service would judge it
 * (a domain pattern, or a signature id), so its problem is said here in the page's words.
 */
export async function validateBlockForm(
  form: BlockFormValues,
  s: Speech,
): Promise<{ dto: CreateBlockDto; errors: PageFieldError[] }> {
  const expiresAt = given(form, 'expiresAt')?.trim();
  const { dto, issues } = await checkDto(CreateBlockDto, {
    kind: form.kind || undefined,
    value: form.value,
    petitionId: given(form, 'petitionId'),
    action: form.action || undefined,
    reasonCode: given(form, 'reasonCode'),
    note: given(form, 'note'),
    expiresAt: expiresAt && LOCAL_TIME.test(expiresAt) ? `${expiresAt}Z` : expiresAt,
  });
  const b = s.t.consoleAbuse.blocks;
  const v = b.validation;
  const m = s.t.consoleModeration;
  const expiry = expiresAt
    ? LOCAL_TIME.test(expiresAt) && !Number.isNaN(Date.parse(`${expiresAt}Z`))
      ? Date.parse(`${expiresAt}Z`) > Date.now()
        ? undefined
        : v.future
      : v.dateTime
    : undefined;
  const errors = fieldErrors(s, issues, [
    { field: 'kind', label: b.kindLegend, required: v.chooseKind, special: v.chooseKind },
    { field: 'value', label: b.value },
    { field: 'petitionId', label: m.petition, special: v.choosePetition },
    { field: 'action', label: b.actionLegend, required: v.chooseAction, special: v.chooseAction },
    {
      field: 'reasonCode',
      label: b.reasonLabel,
      special: m.validation.reasonNotFit(m.review.rejectButton),
    },
    { field: 'note', label: b.note },
    { field: 'expiresAt', label: b.expiresAt, special: expiry ?? v.dateTime },
  ]);
  // The value's own rule, which the DTO leaves to the service.
  const value = form.value.trim();
  if (value !== '' && !errors.some((e) => e.field === 'value')) {
    const problem =
      form.kind === 'email_domain' && !parseDomainPattern(value)
        ? v.domain
        : form.kind === 'source' && !UUID.test(value)
          ? v.signatureId
          : undefined;
    if (problem) {
      const at = errors.findIndex((e) => e.field !== 'kind');
      errors.splice(at === -1 ? errors.length : at, 0, { field: 'value', message: problem });
    }
  }
  return { dto, errors };
}

/**
 * The service's refusals of a form that looked right, as a field's problem: a source signature
 * that does not exist or has no source, or a petition that is not there.
 */
export function serviceProblem(s: Speech, error: unknown): PageFieldError | null {
  if (!(error instanceof DomainError)) return null;
  const v = s.t.consoleAbuse.blocks.validation;
  if (error.code === 'not_found') {
    return error.message.startsWith('Signature')
      ? { field: 'value', message: v.noSuchSignature }
      : { field: 'petitionId', message: v.choosePetition };
  }
  if (error.code === 'validation_failed') return { field: 'value', message: v.noSource };
  return null;
}
