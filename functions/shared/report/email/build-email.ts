/**
 * The manager's email, made from a summary: a subject that carries the news,
 * three headline tiles, the clients to call first (what a manager acts on,
 * each number a `tel:` link), the download button with the link's expiry, the
 * headline figures with their change against the previous period, and calls by
 * hour as a bar chart.
 *
 * The content is made once (`model.ts`) and laid out twice: HTML for mail
 * clients (`html.ts`, a fluid column: 600 px at most, the screen's width
 * below) and plain text carrying the same (`text.ts`).
 */
import { formatReportPeriod, integer, percent } from '../format.ts';
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

/**
 * `Звонки за 21.10.2024: пропущено 12 из 240 (5%), не перезвонили 3`: "not
 * called back" is the clients to call (`missed.call_first`); with working
 * hours the missed figures are the in-hours ones, and a partial report says
 * "so far, as of HH:MM" after its period.
 */
export function emailSubject(s: Summary, lang: Language): string {
  const dict = dictionary(lang);
  const t = s.totals;
  const inHours = s.settings.working_hours != null;
  return fill(inHours ? dict.email.subjectInHours : dict.email.subject, {
    period: formatReportPeriod(s.period, dict, lang),
    missed: integer(inHours ? t.incoming_missed_in_hours : t.incoming_missed, lang),
    incoming: integer(inHours ? t.incoming_in_hours : t.incoming, lang),
    rate: percent(inHours ? t.missed_rate_in_hours : t.missed_rate),
    unreturned: integer(s.missed.call_first.length, lang),
  });
}

/** The email of one report: subject, plain text and HTML, in the requested language. */
export function buildEmail(input: EmailInput): EmailContent {
  const m = emailModel(input, emailSubject(input.summary, input.language));
  return { subject: m.subject, text: renderText(m), html: renderHtml(m) };
}
