/**
 * The manager's email, made from a summary: a subject that carries the news,
 * the numbers nobody called back (first, since they are what a manager acts on),
 * the download button with the link's expiry, the headline figures with their
 * change against the previous period, and calls by hour as a bar chart.
 *
 * The content is made once (`model.ts`) and laid out twice: HTML for mail
 * clients (`html.ts`) and plain text carrying the same (`text.ts`).
 */
import { formatPeriod, integer, percent } from '../format.ts';
import { dictionary, fill, type Language } from '../i18n.ts';
import type { Summary } from '../types.ts';
import { renderHtml } from './html.ts';
import { type EmailInput, emailModel } from './model.ts';
import { renderText } from './text.ts';

export type { EmailInput } from './model.ts';

export interface EmailContent {
  subject: string;
  text: string;
  html: string;
}

/** `Звонки за 21.10.2024: пропущено 12 из 240 (5%), не перезвонили 3`. */
export function emailSubject(s: Summary, lang: Language): string {
  const dict = dictionary(lang);
  return fill(dict.email.subject, {
    period: formatPeriod(s.period, dict, lang),
    missed: integer(s.totals.incoming_missed, lang),
    incoming: integer(s.totals.incoming, lang),
    rate: percent(s.totals.missed_rate),
    unreturned: integer(s.missed.unreturned, lang),
  });
}

/** The email of one report: subject, plain text and HTML, in the requested language. */
export function buildEmail(input: EmailInput): EmailContent {
  const m = emailModel(input, emailSubject(input.summary, input.language));
  return { subject: m.subject, text: renderText(m), html: renderHtml(m) };
}
