import type { Reflector } from '@nestjs/core';
import { RouteConfig } from '@nestjs/platform-fastify';

/** A handler or controller class, as Nest's Reflector reads metadata from it. */
type Target = Parameters<Reflector['get']>[1];

interface UploadRouteConfig {
  upload: true;
  /** The handler and its controller, whose auth rule is applied before the body is read. */
  authTargets: readonly [handler: Target, controller: Target];
}

/**
 * Marks an endpoint that takes uploads: it accepts `text/csv` as well as JSON, bodies up to
 * IMPORT_BODY_LIMIT_BYTES instead of the usual limit, and its caller's token and role are checked
 * before the body is read (http-app.ts runs the auth guard early for it, with the rule the guard
 * reads from these very handler and controller, so the rule is written once, with `@Roles`).
 */
export function UploadRoute(): MethodDecorator {
  return (target, key, descriptor) => {
    const config: UploadRouteConfig = {
      upload: true,
      authTargets: [descriptor.value as Target, target.constructor],
    };
    RouteConfig(config)(target, key, descriptor);
  };
}

export function isUploadRoute(config: unknown): boolean {
  return (config as Partial<UploadRouteConfig> | undefined)?.upload === true;
}

/** The handler and controller of an upload route, for the early auth check; else undefined. */
export function uploadAuthTargets(config: unknown): UploadRouteConfig['authTargets'] | undefined {
  return isUploadRoute(config) ? (config as UploadRouteConfig).authTargets : undefined;
}
