import { BLOCK_ACTIONS, BLOCK_KINDS, BLOCK_REASON_CODES } from '../../../../abuse/block-rules.js';
import type { BlockResponse } from '../../../../abuse/dto/block.dto.js';
import type { Speech } from '../../../i18n/messages.js';
import { ErrorSummary, type PageFieldError } from '../../../views/form-parts.js';
import type { ConsoleCaller } from '../../console-auth.js';
import {
  Input,
  Notice,
  reasonName,
  Select,
  StackedTable,
  TextArea,
} from '../../moderation/views/parts.js';
import { RadioGroup } from '../../petitions/views/fields.js';
import { ConsoleLayout, CsrfField } from '../../views/console-layout.js';
import type { BlockFormValues } from '../block-form.js';

/** Names for the ids the services return: moderators' display names and petitions' titles. */
export interface Lookups {
  accounts: Map<string, string>;
  petitions: Map<string, string>;
}

/** What a block or an alert is about, in words: a domain, or a source by one of its signatures. */
export function BlockedThing({ s, kind, value }: { s: Speech; kind: string; value: string }) {
  const a = s.t.consoleAbuse;
  if (kind === 'source') {
    return (
      <span class="ca-what">
        {a.sourceOf}{' '}
        <a class="ca-id" href={`/console/signatures/${value}?lang=${s.lang}`}>
          {value}
        </a>
      </span>
    );
  }
  return (
    <span class="ca-what">
      {a.kinds.email_domain}: <strong class="ca-id">{value}</strong>
    </span>
  );
}

/** Words for a block's value in a button's accessible name. */
export function thingText(s: Speech, kind: string, value: string): string {
  const a = s.t.consoleAbuse;
  return kind === 'source' ? `${a.sourceOf} ${value}` : `${a.kinds.email_domain} ${value}`;
}

function BlocksTable({
  s,
  caller,
  blocks,
  lookups,
  ended,
  caption,
}: {
  s: Speech;
  caller: ConsoleCaller;
  blocks: BlockResponse[];
  lookups: Lookups;
  ended: boolean;
  caption: string;
}) {
  const a = s.t.consoleAbuse;
  const b = a.blocks;
  const who = (id: string | null, at: string | null) =>
    id && at
      ? b.by(lookups.accounts.get(id) ?? s.t.consoleModeration.unknownAccount, s.f.dateTime(at))
      : '—';
  const head = [b.what, b.scope, b.does, b.reason, b.until, b.added];
  return (
    <StackedTable
      caption={caption}
      captionHidden
      head={ended ? [...head, b.state, b.removed] : [...head, a.actions]}
      rows={blocks.map((block) => {
        const cells = [
          <BlockedThing s={s} kind={block.kind} value={block.value} />,
          block.petitionId
            ? (lookups.petitions.get(block.petitionId) ?? block.petitionId)
            : a.allPetitions,
          b.actionNames[block.action] ?? block.action,
          block.action === 'reject' ? reasonName(s, block.reasonCode) : '—',
          block.expiresAt ? s.f.dateTime(block.expiresAt) : b.untilRemoved,
          <>
            {who(block.createdBy, block.createdAt)}
            {block.note ? <span class="ca-note">{block.note}</span> : null}
          </>,
        ];
        if (ended) {
          return [
            ...cells,
            b.states[block.status] ?? block.status,
            who(block.removedBy, block.removedAt),
          ];
        }
        return [
          ...cells,
          <form method="post" action={`/console/blocks/${block.id}/remove`} class="inline">
            <CsrfField caller={caller} />
            <input type="hidden" name="lang" value={s.lang} />
            <button type="submit" class="secondary">
              {b.removeButton}
              <span class="visually-hidden">
                {' '}
                {b.removeWhat(thingText(s, block.kind, block.value))}
              </span>
            </button>
          </form>,
        ];
      })}
    />
  );
}

/** The blocks in force (or the ended ones), and the form that adds one. */
export function BlocksPage(props: {
  s: Speech;
  caller: ConsoleCaller;
  switchHref: string;
  ended: boolean;
  blocks: BlockResponse[];
  nextCursor: string | null;
  lookups: Lookups;
  petitions: Array<[string, string]>;
  form: BlockFormValues;
  prefilled: boolean;
  errors: PageFieldError[];
  notice?: string;
}) {
  const { s, caller, form, errors } = props;
  const a = s.t.consoleAbuse;
  const b = a.blocks;
  const m = s.t.consoleModeration;
  const error = (field: string) => errors.find((e) => e.field === field)?.message;
  const listHeading = props.ended ? b.endedHeading : b.activeHeading;
  const show = props.ended ? '&show=ended' : '';
  return (
    <ConsoleLayout
      s={s}
      caller={caller}
      title={b.title}
      switchHref={props.switchHref}
      section="blocks"
    >
      <h1>{b.title}</h1>
      <ErrorSummary s={s} errors={errors} />
      <Notice text={props.notice} />
      <p class="lead">{b.lead}</p>
      <section aria-labelledby="list-heading">
        <h2 id="list-heading">{listHeading}</h2>
        {props.blocks.length === 0 ? (
          <p>{props.ended ? b.endedEmpty : b.activeEmpty}</p>
        ) : (
          <BlocksTable
            s={s}
            caller={caller}
            blocks={props.blocks}
            lookups={props.lookups}
            ended={props.ended}
            caption={listHeading}
          />
        )}
        {props.nextCursor ? (
          <p class="pager">
            <a href={`/console/blocks?cursor=${props.nextCursor}${show}&lang=${s.lang}`}>
              {b.more}
            </a>
          </p>
        ) : null}
        <p>
          <a href={`/console/blocks?${props.ended ? '' : 'show=ended&'}lang=${s.lang}`}>
            {props.ended ? b.showActive : b.showEnded}
          </a>
        </p>
      </section>
      <section aria-labelledby="new-heading">
        <h2 id="new-heading">{b.newHeading}</h2>
        {props.prefilled ? <p class="notice">{b.fromAlert}</p> : null}
        <form method="post" action="/console/blocks" class="cm-form" noValidate>
          <CsrfField caller={caller} />
          <input type="hidden" name="lang" value={s.lang} />
          <RadioGroup
            name="kind"
            legend={b.kindLegend}
            value={form.kind}
            error={error('kind')}
            options={BLOCK_KINDS.map((kind) => ({ value: kind, label: b.kindChoices[kind] }))}
          />
          <Input
            s={s}
            id="value"
            name="value"
            label={b.value}
            hint={b.valueHint}
            value={form.value}
            maxLength={253}
            spellcheck={false}
            error={error('value')}
          />
          <Select
            s={s}
            id="petitionId"
            name="petitionId"
            label={m.petition}
            hint={b.scopeHint}
            value={form.petitionId}
            placeholder={a.allPetitions}
            options={props.petitions}
            optional
            error={error('petitionId')}
          />
          <RadioGroup
            name="action"
            legend={b.actionLegend}
            value={form.action}
            error={error('action')}
            options={BLOCK_ACTIONS.map((action) => ({
              value: action,
              label: b.actionChoices[action],
            }))}
          />
          <Select
            s={s}
            id="reasonCode"
            name="reasonCode"
            label={b.reasonLabel}
            hint={b.reasonHint}
            value={form.reasonCode}
            options={BLOCK_REASON_CODES.map((code) => [code, m.reasonLabels[code] ?? code])}
            error={error('reasonCode')}
          />
          <TextArea
            s={s}
            id="note"
            name="note"
            label={b.note}
            hint={b.noteHint}
            value={form.note}
            maxLength={2000}
            optional
            error={error('note')}
          />
          <Input
            s={s}
            id="expiresAt"
            name="expiresAt"
            label={b.expiresAt}
            hint={b.expiresHint}
            type="datetime-local"
            value={form.expiresAt}
            optional
            error={error('expiresAt')}
          />
          <button type="submit">{b.addButton}</button>
        </form>
      </section>
    </ConsoleLayout>
  );
}
