import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';

export interface Asset {
  /** The URL path, with a content hash, so it can be cached for good. */
  path: string;
  contentType: string;
  body: Buffer;
}

function load(file: string, contentType: string): Asset {
  const body = readFileSync(new URL(`./assets/${file}`, import.meta.url));
  const hash = createHash('sha256').update(body).digest('hex').slice(0, 12);
  const [name, ext] = file.split('.');
  return { path: `/assets/${name}.${hash}.${ext}`, contentType, body };
}

/** The one stylesheet and the small scripts pages may use, read once at start. */
export const ASSETS = {
  css: load('site.css', 'text/css; charset=utf-8'),
  js: load('counts.js', 'text/javascript; charset=utf-8'),
  /** The review queue's keyboard shortcuts; loaded by that page only. */
  review: load('console-review.js', 'text/javascript; charset=utf-8'),
};

export const ASSETS_BY_PATH = new Map(Object.values(ASSETS).map((asset) => [asset.path, asset]));
