import type { VNode } from 'preact';
import { renderToString } from 'preact-render-to-string';

/** A whole HTML document from a view. Preact escapes every text and attribute it renders. */
export function renderDocument(view: VNode): string {
  return `<!doctype html>${renderToString(view)}`;
}
