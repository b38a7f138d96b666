import { createParamDecorator, type ExecutionContext, SetMetadata } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import { AccountRole } from '../../accounts/account-role.js';
import type { Principal } from './principal.js';

export const PUBLIC_KEY = 'countersign:public';
export const ROLES_KEY = 'countersign:roles';

/** No token needed. A token that is sent is still checked, so an organiser sees their own drafts. */
export const Public = (): MethodDecorator & ClassDecorator => SetMetadata(PUBLIC_KEY, true);

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
