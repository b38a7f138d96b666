/**
 * Route config (`@RouteConfig(UPLOAD_ROUTE)`) for endpoints that take uploads: they accept
 * `text/csv` as well as JSON, and bodies up to IMPORT_BODY_LIMIT_BYTES instead of the usual limit.
 */
export const UPLOAD_ROUTE = { upload: true };

export function isUploadRoute(config: unknown): boolean {
  return (config as { upload?: unknown } | undefined)?.upload === true;
}
