import { applyDecorators } from '@nestjs/common';
import { RouteConfig } from '@nestjs/platform-fastify';
import { ApiExcludeEndpoint } from '@nestjs/swagger';

/**
 * Route config of an HTML page: `form` lets it take `application/x-www-form-urlencoded`,
 * `multipart` lets it take `multipart/form-data` (a file upload, parsed into the body).
 */
export interface PageRouteConfig {
  page: true;
  form?: boolean;
  multipart?: boolean;
}

/** Marks a route as an HTML page: errors become pages, and it stays out of the OpenAPI document. */
export const PageRoute = (options: { form?: boolean; multipart?: boolean } = {}) =>
  applyDecorators(RouteConfig({ page: true, ...options }), ApiExcludeEndpoint());

export function isPageRoute(config: unknown): boolean {
  return (config as Partial<PageRouteConfig> | undefined)?.page === true;
}

export function isFormRoute(config: unknown): boolean {
  return isPageRoute(config) && (config as PageRouteConfig).form === true;
}

export function isMultipartRoute(config: unknown): boolean {
  return isPageRoute(config) && (config as PageRouteConfig).multipart === true;
}
