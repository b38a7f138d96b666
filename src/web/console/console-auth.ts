import {
  type CanActivate,
  type ExecutionContext,
  Injectable,
  SetMetadata,
  applyDecorators,
  UseGuards,
  createParamDecorator,
} from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { AccountRole } from '../../accounts/account-role.js';
import {
  type ConsoleSession,
  ConsoleSessionsService,
} from '../../accounts/console-sessions.service.js';
import type { Principal } from '../../common/auth/principal.js';
import { DomainError } from '../../common/errors/domain-error.js';
import { AppConfig } from '../../config/app-config.js';

export const SESSION_COOKIE = 'cs_session';
const CONSOLE_ROLES = 'countersign:console-roles';
const SAFE_METHODS = new Set(['GET', 'HEAD']);

export type ConsoleRequest = FastifyRequest & {
  consoleSession?: ConsoleSession;
  consoleCsrf?: string;
};

/** What a console page knows of its caller: the session, as a principal, and a form token. */
export interface ConsoleCaller {
  session: ConsoleSession;
  principal: Principal;
  csrfToken: string;
}

/**
 * A console page for these roles (admin may always; none listed: any signed-in account). The
 * guard finds the session from its cookie; without one the page sends the browser to sign in.
 * A page for another role answers 404, as the API does for what a caller must not know exists.
 * Every request that may change something must carry the session's anti-forgery token (`_csrf`).
 */
export const ConsolePage = (...roles: AccountRole[]) =>
  applyDecorators(SetMetadata(CONSOLE_ROLES, roles), UseGuards(ConsoleGuard));

@Injectable()
export class ConsoleGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly sessions: ConsoleSessionsService,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const request = context.switchToHttp().getRequest<ConsoleRequest>();
    const id = request.cookies?.[SESSION_COOKIE];
    const session = id ? await this.sessions.find(id) : null;
    if (!session) throw new DomainError('unauthorized', 'Sign in to use the console');
    const roles =
      this.reflector.getAllAndOverride<AccountRole[]>(CONSOLE_ROLES, [
        context.getHandler(),
        context.getClass(),
      ]) ?? [];
    if (roles.length > 0 && session.role !== AccountRole.Admin && !roles.includes(session.role)) {
      throw DomainError.notFound('Page');
    }
    if (!SAFE_METHODS.has(request.method)) {
      const token = (request.body as Record<string, unknown> | undefined)?._csrf;
      if (!this.sessions.csrfValid(session, token)) {
        throw new DomainError('forbidden', 'The form’s anti-forgery token is missing or not valid');
      }
    }
    request.consoleSession = session;
    request.consoleCsrf = this.sessions.csrfToken(session);
    return true;
  }
}

/** The signed-in caller of a console page (after ConsoleGuard). */
export const Caller = createParamDecorator((_: unknown, ctx: ExecutionContext): ConsoleCaller => {
  const request = ctx.switchToHttp().getRequest<ConsoleRequest>();
  const session = request.consoleSession!;
  return {
    session,
    principal: { id: session.accountId, role: session.role },
    csrfToken: request.consoleCsrf ?? '',
  };
});

/** Sets the session cookie: HttpOnly, SameSite=Lax, Secure when the service is served over https. */
export function setSessionCookie(
  reply: FastifyReply,
  config: AppConfig,
  id: string,
  expiresAt: Date,
): void {
  void reply.setCookie(SESSION_COOKIE, id, {
    path: '/',
    httpOnly: true,
    sameSite: 'lax',
    secure: config.publicBaseUrl.startsWith('https:'),
    expires: expiresAt,
  });
}

export function clearSessionCookie(reply: FastifyReply, config: AppConfig): void {
  void reply.clearCookie(SESSION_COOKIE, {
    path: '/',
    httpOnly: true,
    sameSite: 'lax',
    secure: config.publicBaseUrl.startsWith('https:'),
  });
}
