/**
 * The quick-link page's "email me this report" form: a plain POST to the
 * page's own URL (no script), sending to the subscription's own recipients
 * only. After it was used, the page says whether the email is on its way or sent.
 */
import { escapeHtml } from '../email/html.ts';
import { dictionary, type Language } from '../i18n.ts';

/** `sent`: the emailed run's status once asked for (queued, running, done, failed), else null. */
export function emailFormHtml(lang: Language, sent: 'queued' | 'running' | 'done' | 'failed' | null): string {
  const w = dictionary(lang).pages.email;
  if (sent === 'done') return `<section class="calm" data-email="sent">${escapeHtml(w.sent)}</section>`;
  if (sent === 'queued' || sent === 'running') {
    return `<section class="muted" data-email="sending"><p>${escapeHtml(w.sending)}</p></section>`;
  }
  return (
    '<section data-email="form"><form method="post">' +
    `<button class="button secondary" type="submit">${escapeHtml(w.send)}</button></form>` +
    `<div class="muted">${escapeHtml(w.sendHint)}</div></section>`
  );
}
