import type {
  RegisterEntryResponse,
  RegisterResponse,
} from '../../../../registers/dto/register.dto.js';
import type { Speech } from '../../../i18n/messages.js';
import { ErrorSummary, type PageFieldError } from '../../../views/form-parts.js';
import type { ConsoleCaller } from '../../console-auth.js';
import { ConsoleLayout, CsrfField } from '../../views/console-layout.js';
import { DASH, Field, describedBy, Input, Notice, StackedTable, TextArea } from './parts.js';

/** The registers, and a form for a new one. */
export function RegistersPage(props: {
  s: Speech;
  caller: ConsoleCaller;
  switchHref: string;
  registers: RegisterResponse[];
  nextCursor: string | null;
  form: { name: string; description: string };
  errors: PageFieldError[];
}) {
  const { s, caller, form, errors } = props;
  const t = s.t.consoleModeration;
  const r = t.registers;
  const error = (field: string) => errors.find((e) => e.field === field)?.message;
  return (
    <ConsoleLayout
      s={s}
      caller={caller}
      title={r.title}
      switchHref={props.switchHref}
      section="registers"
    >
      <h1>{r.title}</h1>
      <ErrorSummary s={s} errors={errors} />
      <p class="lead">{r.lead}</p>
      <section aria-labelledby="list-heading">
        <h2 id="list-heading">{r.listHeading}</h2>
        {props.registers.length === 0 ? (
          <p>{r.empty}</p>
        ) : (
          <StackedTable
            caption={r.listHeading}
            captionHidden
            head={[r.name, r.version, r.entries, r.updated]}
            rows={props.registers.map((register) => [
              <a href={`/console/registers/${register.id}?lang=${s.lang}`}>{register.name}</a>,
              s.f.number(register.version),
              s.f.number(register.entryCount),
              s.f.dateTime(register.updatedAt),
            ])}
          />
        )}
        {props.nextCursor ? (
          <p class="pager">
            <a href={`/console/registers?cursor=${props.nextCursor}&lang=${s.lang}`}>
              {r.moreRegisters}
            </a>
          </p>
        ) : null}
      </section>
      <section aria-labelledby="create-heading">
        <h2 id="create-heading">{r.createHeading}</h2>
        <form method="post" action="/console/registers" class="cm-form" noValidate>
          <CsrfField caller={caller} />
          <input type="hidden" name="lang" value={s.lang} />
          <Input
            s={s}
            id="name"
            name="name"
            label={r.name}
            hint={r.nameHint}
            value={form.name}
            maxLength={200}
            error={error('name')}
          />
          <TextArea
            s={s}
            id="description"
            name="description"
            label={r.description}
            value={form.description}
            maxLength={2000}
            optional
            error={error('description')}
          />
          <button type="submit">{r.createButton}</button>
        </form>
      </section>
    </ConsoleLayout>
  );
}

export interface UploadResult {
  version: number;
  imported: number;
  rejected: Array<{ row: number; problem: string }>;
}

/** One register: its current version, the upload form, what the last upload refused, its entries. */
export function RegisterPage(props: {
  s: Speech;
  caller: ConsoleCaller;
  switchHref: string;
  register: RegisterResponse;
  entries: RegisterEntryResponse[];
  cursor: string | null;
  nextCursor: string | null;
  notice?: string;
  result?: UploadResult;
  errors: PageFieldError[];
  /** The service's own words about a file it could not read, in English. */
  fileDetail?: string;
}) {
  const { s, caller, register, result, errors } = props;
  const t = s.t.consoleModeration;
  const r = t.registers;
  const fileError = errors.find((e) => e.field === 'file')?.message;
  const frame = { s, id: 'file', label: r.file, hint: r.fileHint, error: fileError };
  const base = `/console/registers/${register.id}`;
  return (
    <ConsoleLayout
      s={s}
      caller={caller}
      title={register.name}
      switchHref={props.switchHref}
      section="registers"
    >
      <h1>{register.name}</h1>
      <ErrorSummary s={s} errors={errors} />
      <Notice text={props.notice} />
      {register.description ? <p class="lead">{register.description}</p> : null}
      <p>
        <strong>{r.versionLine(s.f, register.version, register.entryCount)}</strong>{' '}
        <span class="muted">
          {r.updated}: {s.f.dateTime(register.updatedAt)}
        </span>
      </p>
      {result ? (
        <section aria-labelledby="result-heading" class="notice" role="status">
          <h2 id="result-heading">{r.resultTitle}</h2>
          <p>{r.imported(s.f, result.version, result.imported)}</p>
          {result.rejected.length === 0 ? (
            <p>{r.noneRejected}</p>
          ) : (
            <>
              <h3>{r.rejectedHeading(s.f, result.rejected.length)}</h3>
              <p class="hint">{r.rowsCounted}</p>
              <StackedTable
                caption={r.rejectedHeading(s.f, result.rejected.length)}
                captionHidden
                head={[r.row, r.problem]}
                rows={result.rejected.map((row) => [s.f.number(row.row), row.problem])}
              />
            </>
          )}
        </section>
      ) : null}
      <section aria-labelledby="upload-heading">
        <h2 id="upload-heading">{r.uploadHeading}</h2>
        <form
          method="post"
          action={`${base}/entries`}
          enctype="multipart/form-data"
          class="cm-form"
          noValidate
        >
          <CsrfField caller={caller} />
          <input type="hidden" name="lang" value={s.lang} />
          <Field {...frame}>
            {props.fileDetail ? (
              <span class="hint">
                {t.validation.fileDetail} <span lang="en">{props.fileDetail}</span>
              </span>
            ) : null}
            <input
              type="file"
              class="cm-file"
              id="file"
              name="file"
              accept=".csv,text/csv"
              required
              aria-describedby={describedBy(frame)}
              aria-invalid={fileError ? 'true' : undefined}
            />
          </Field>
          <button type="submit">{r.uploadButton}</button>
        </form>
      </section>
      <section aria-labelledby="entries-heading">
        <h2 id="entries-heading">{r.entriesHeading}</h2>
        {props.entries.length === 0 ? (
          <p>{r.entriesEmpty}</p>
        ) : (
          <StackedTable
            caption={r.entriesHeading}
            captionHidden
            head={[t.fullName, t.district, t.title_, t.email]}
            rows={props.entries.map((entry) => [
              entry.fullName,
              entry.district ?? DASH,
              entry.title ?? DASH,
              entry.email ?? DASH,
            ])}
          />
        )}
        <p class="pager">
          {props.nextCursor ? (
            <a href={`${base}?cursor=${props.nextCursor}&lang=${s.lang}`}>{r.moreEntries}</a>
          ) : null}
          {props.cursor ? (
            <>
              {props.nextCursor ? ' · ' : null}
              <a href={`${base}?lang=${s.lang}`}>{r.firstEntries}</a>
            </>
          ) : null}
        </p>
      </section>
      <p>
        <a href={`/console/registers?lang=${s.lang}`}>{r.back}</a>
      </p>
    </ConsoleLayout>
  );
}
