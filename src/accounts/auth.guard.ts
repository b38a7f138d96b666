import { type CanActivate, type ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import {
  OWN_TOKEN_KEY,
  PUBLIC_KEY,
  type RequestWithPrincipal,
  ROLES_KEY,
} from '../common/auth/auth.decorators.js';
import type { Principal } from '../common/auth/principal.js';
import { DomainError } from '../common/errors/domain-error.js';
import { AccountRole } from './account-role.js';
import { AccountsService } from './accounts.service.js';

const BEARER = /^Bearer ([A-Za-z0-9._~+/=-]{1,512})$/;

/** A handler or a controller class, as Nest's Reflector reads metadata from it. */
type Target = Parameters<Reflector['get']>[1];

/** What the guard reads a route's rule from: the handler and its controller class. */
export type AuthTargets = readonly [handler: Target, controller: Target];

/**
 * Global guard. A sent token must be valid (401 otherwise), even on public routes. Role rules that
 * depend on the resource (its organiser, a draft's visibility) are the services' to check, so that
 * they can answer 404 for what a caller must not know exists.
 */
@Injectable()
export class AuthGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly accounts: AccountsService,
  ) {}

  canActivate(context: ExecutionContext): boolean | Promise<boolean> {
    if (context.getType() !== 'http') return true;
    return this.authorize(context.switchToHttp().getRequest<RequestWithPrincipal>(), [
      context.getHandler(),
      context.getClass(),
    ]);
  }

  /**
   * The whole rule for one request to one handler: the token, if sent, must be valid; then the
   * route must be public or the caller of a listed role. Nest runs it as a guard, after the body
   * is read; upload routes also run it from a Fastify hook before (see http-app.ts), so that
   * nobody may make the service read a large body it would refuse. A request whose caller is
   * already known is not looked up again.
   */
  authorize(request: RequestWithPrincipal, targets: AuthTargets): boolean | Promise<boolean> {
    const header = request.headers.authorization;
    // Without a token there is nothing to look up: answered synchronously, as most public reads are.
    if (header === undefined || request.principal) return this.admit(targets, request);
    // A route taking a token of its own (METRICS_TOKEN) checks it itself: it is no account's.
    if (this.reflector.get<boolean>(OWN_TOKEN_KEY, targets[0])) return true;
    return this.authenticate(header).then((principal) => {
      request.principal = principal;
      return this.admit(targets, request);
    });
  }

  /** Whether a route takes anonymous callers: the rule `authorize` applies, for the OpenAPI document. */
  isPublic(targets: AuthTargets): boolean {
    return this.reflector.getAllAndOverride<boolean>(PUBLIC_KEY, [...targets]) === true;
  }

  private async authenticate(header: string): Promise<Principal> {
    const match = BEARER.exec(header);
    const principal = match ? await this.accounts.authenticate(match[1]) : null;
    if (!principal) throw new DomainError('unauthorized', 'The bearer token is not valid');
    return principal;
  }

  private admit(targets: AuthTargets, request: RequestWithPrincipal): boolean {
    if (this.isPublic(targets)) return true;
    if (!request.principal) {
      throw new DomainError('unauthorized', 'This endpoint needs an `Authorization: Bearer` token');
    }
    const roles = this.reflector.getAllAndOverride<AccountRole[] | undefined>(ROLES_KEY, [
      ...targets,
    ]);
    if (
      roles &&
      request.principal.role !== AccountRole.Admin &&
      !roles.includes(request.principal.role)
    ) {
      throw new DomainError('forbidden', forbiddenRoleMessage(roles));
    }
    return true;
  }
}

/** Names every role that may call, admin included: admin may do everything, so it is always one. */
export function forbiddenRoleMessage(roles: readonly AccountRole[]): string {
  const allowed = [...roles.filter((role) => role !== AccountRole.Admin), AccountRole.Admin];
  const last = allowed.pop() as AccountRole;
  return `This endpoint is for: ${allowed.length > 0 ? `${allowed.join(', ')} or ${last}` : last}`;
}
