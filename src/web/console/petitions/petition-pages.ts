import { Injectable } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { DomainError } from '../../../common/errors/domain-error.js';
import type { Petition } from '../../../petitions/petition.entity.js';
import { PetitionsService } from '../../../petitions/petitions.service.js';
import { type Speech, speech } from '../../i18n/messages.js';
import { sendPage } from '../../page-response.js';
import type { PageFieldError } from '../../views/form-parts.js';
import { renderDocument } from '../../views/render.js';
import type { ConsoleCaller } from '../console-auth.js';
import { consoleLanguage, consoleSwitchHref, field } from '../request-helpers.js';
import { PetitionConsoleService } from './petition-console.service.js';
import { PetitionConsolePage } from './views/petition-console.view.js';
import { ConsoleMessagePage } from './views/petition-steps.view.js';

/** What `?done=` may say after a redirect to a petition's page. */
const NOTICES = ['created', 'saved', 'submitted', 'approved', 'rejected', 'closed'] as const;
type Notice = (typeof NOTICES)[number];

/** Codes a petition's console forms answer with their own page rather than the generic one. */
const REFUSALS = new Set([
  'forbidden',
  'invalid_transition',
  'petition_not_editable',
  'petition_not_open',
]);

/** The console's petition pages that several controllers answer with. */
@Injectable()
export class PetitionPages {
  constructor(
    private readonly console: PetitionConsoleService,
    private readonly petitions: PetitionsService,
  ) {}

  speech(request: FastifyRequest): Speech {
    return speech(consoleLanguage(request));
  }

  /** The petition's page, with a notice after a redirect, or a form of it sent back. */
  async detail(
    request: FastifyRequest,
    reply: FastifyReply,
    caller: ConsoleCaller,
    petition: Petition,
    options: {
      status?: number;
      errors?: PageFieldError[];
      decisionValues?: { reasonCode: string; note: string };
    } = {},
  ): Promise<void> {
    const s = this.speech(request);
    const done = field(request.query, 'done');
    const count = (name: string) => Number(/^\d{1,9}$/.exec(field(request.query, name) ?? '') ?? 0);
    const notice =
      done === 'invited'
        ? s.t.consolePetitions.notices.invited(s.f, count('invited'), count('skipped'))
        : NOTICES.includes(done as Notice)
          ? (s.t.consolePetitions.notices[done as Notice] as string)
          : undefined;
    const model = await this.console.model(
      petition,
      caller.principal,
      field(request.query, 'comments') ?? null,
    );
    const html = renderDocument(
      PetitionConsolePage({
        s,
        caller,
        switchHref: consoleSwitchHref(request, s.lang),
        model,
        notice: options.status ? undefined : notice,
        errors: options.errors,
        decisionValues: options.decisionValues,
      }),
    );
    sendPage(reply, html, { status: options.status ?? 200 });
  }

  /**
   * Runs a change; when the service refuses it because the petition has moved on (409) or is not
   * the caller's to change (403), answers with a console page that says so, in the reader's
   * language, with a way back. Anything else is the generic error page's.
   */
  async refusing<T>(
    request: FastifyRequest,
    reply: FastifyReply,
    caller: ConsoleCaller,
    petition: Petition,
    change: () => Promise<T>,
  ): Promise<T | undefined> {
    try {
      return await change();
    } catch (error) {
      if (!(error instanceof DomainError) || !REFUSALS.has(error.code)) throw error;
      await this.refusal(request, reply, caller, petition, error);
      return undefined;
    }
  }

  /** The page for a refused change. */
  async refusal(
    request: FastifyRequest,
    reply: FastifyReply,
    caller: ConsoleCaller,
    petition: Petition,
    error: DomainError,
  ): Promise<void> {
    const s = this.speech(request);
    const t = s.t.consolePetitions;
    let title = t.conflict.title;
    let lines: string[];
    let status = 409;
    if (error.code === 'forbidden') {
      status = 403;
      title = t.ownerOnly.title;
      lines = [t.ownerOnly.text];
    } else if (error.code === 'petition_not_open') {
      lines = [t.conflict.notOpen];
    } else if (hasField(error, 'closesAt')) {
      lines = [t.conflict.closesAtPassed];
    } else {
      // Say what it is now: it may have moved on since the caller's page was drawn.
      const now = (await this.petitions.findByIdOrSlug(petition.id)) ?? petition;
      lines = [t.conflict.status(t.statuses[now.status])];
    }
    this.message(request, reply, caller, status, title, lines, petition.id);
  }

  /** A short page in the console's frame, with a link back to the petition. */
  message(
    request: FastifyRequest,
    reply: FastifyReply,
    caller: ConsoleCaller,
    status: number,
    title: string,
    lines: string[],
    petitionId: string,
  ): void {
    const s = this.speech(request);
    const html = renderDocument(
      ConsoleMessagePage({
        s,
        caller,
        switchHref: consoleSwitchHref(request, s.lang),
        title,
        lines,
        back: {
          href: `/console/petitions/${petitionId}?lang=${s.lang}`,
          text: s.t.consolePetitions.conflict.back,
        },
      }),
    );
    sendPage(reply, html, { status });
  }
}

function hasField(error: DomainError, name: string): boolean {
  return error.details.some((d) => (d as { field?: unknown } | null)?.field === name);
}

/** Sends the browser on (Post/Redirect/Get). */
export function seeOther(reply: FastifyReply, location: string): void {
  void reply.status(303).header('location', location).send();
}
