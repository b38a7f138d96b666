import { createParamDecorator, type ExecutionContext, SetMetadata } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import { AccountRole } from '../../accounts/account-role.js';
import type { Principal } from './principal.js';

export const PUBLIC_KEY = 'countersign:public';
export const ROLES_KEY = 'countersign:roles';
export const OWN_TOKEN_KEY = 'countersign:own-token';

/** No token needed. A token that is sent is still checked, so an organiser sees their own drafts. */
export const Public = (): MethodDecorator & ClassDecorator => SetMetadata(PUBLIC_KEY, true);

/**
 * The handler checks the bearer token itself (a token of its own, such as METRICS_TOKEN, which is
 * no account's): the guard does not look it up as an account token.
 */
export const OwnBearerToken = (): MethodDecorator => SetMetadata(OWN_TOKEN_KEY, true);

/** Only these roles (admin may always). Without it, any authenticated account may call. */
export const Roles = (...roles: AccountRole[]): MethodDecorator & ClassDecorator =>
  SetMetadata(ROLES_KEY, roles);

/** The request as the guard leaves it; `Params` types the route's path parameters. */
export type RequestWithPrincipal<Params = unknown> = FastifyRequest<{ Params: Params }> & {
  principal?: Principal;
};

export const CurrentPrincipal = createParamDecorator(
  (_: unknown, ctx: ExecutionContext): Principal | undefined =>
    ctx.switchToHttp().getRequest<RequestWithPrincipal>().principal,
);
