/**
 * The quick links on a page: `Другой период: Эта неделя · Прошлая неделя · …`,
 * as the email's model names them (email/model.ts), each a signed link that
 * makes the subscription's report of that period.
 */
import { escapeHtml } from '../email/html.ts';
import type { Model } from '../email/model.ts';

export function quickLinksHtml(quick: NonNullable<Model['quick']>): string {
  return (
    `<nav class="quick" data-quick="links"><span class="muted">${escapeHtml(quick.label)}</span> ` +
    quick.links.map((l) => `<a href="${escapeHtml(l.href)}">${escapeHtml(l.text)}</a>`).join(' &middot; ') +
    '</nav>'
  );
}
