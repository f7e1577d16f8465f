/**
 * The shell of every page behind a link: the document, its one hashed
 * stylesheet, no script at all, and the Content-Security-Policy that says so.
 * A page that waits for a report refreshes itself with
 * `<meta http-equiv="refresh">`, which needs no script either.
 */

import { escapeHtml } from '../email/html.ts';
import type { Language } from '../i18n.ts';
import { PAGE_CSS, PAGE_CSS_HASH } from './style.ts';

/**
 * What a page may load: nothing but its own stylesheet (by hash), and forms
 * only to its own origin. No script source at all, no images, fonts or frames
 * from anywhere, no `<base>`, and no framing by other sites.
 */
export const PAGE_CSP = [
  "default-src 'none'",
  `style-src '${PAGE_CSS_HASH}'`,
  "form-action 'self'",
  "base-uri 'none'",
  "frame-ancestors 'none'",
].join('; ');

export interface PageShell {
  lang: Language;
  title: string;
  /** The `<main>`'s content, already HTML. */
  body: string;
  /** Reload the page after this many seconds (a report that is being made). */
  refreshSeconds?: number;
  /** A `data-page` name tests and people can tell the pages apart by. */
  name: string;
}

export function pageHtml(p: PageShell): string {
  return [
    '<!DOCTYPE html>',
    `<html lang="${p.lang}"><head><meta charset="utf-8">`,
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    '<meta name="referrer" content="no-referrer">',
    '<meta name="robots" content="noindex, nofollow">',
    ...(p.refreshSeconds
      ? [`<meta http-equiv="refresh" content="${Math.max(1, Math.round(p.refreshSeconds))}">`]
      : []),
    `<title>${escapeHtml(p.title)}</title>`,
    `<style>${PAGE_CSS}</style>`,
    '</head>',
    `<body><main data-page="${escapeHtml(p.name)}">`,
    p.body,
    '</main></body></html>',
    '',
  ].join('\n');
}
