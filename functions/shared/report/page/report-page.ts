/**
 * The report page: what the link in the email opens. The same content as the
 * email, made by the email's own model (email/model.ts) from the stored
 * summary, in the report's language: the period, the three tiles, the clients
 * to call first (each number a `tel:` link), the button for the XLSX, the
 * headline figures with their change, and calls by hour. Laid out for a phone
 * first (style.ts), with classes only, so the page runs under a strict CSP.
 */
import { emailSubject } from '../email/build-email.ts';
import type { ChangePart } from '../email/figures.ts';
import { splitPercent } from '../email/hours.ts';
import { COLOR, escapeHtml } from '../email/html.ts';
import { emailModel, type Model, type QuickLinkInput } from '../email/model.ts';
import { integer } from '../format.ts';
import type { Language } from '../i18n.ts';
import type { Summary } from '../types.ts';
import { pageHtml } from './layout.ts';
import { quickLinksHtml } from './quick-links.ts';

/** How many clients the page lists before "… and N more" (the email lists 20; the XLSX has them all). */
export const PAGE_CALL_FIRST_LIMIT = 100;

export interface ReportPageInput {
  summary: Summary;
  language: Language;
  /** Where the button takes the reader for the XLSX (the signed route with `?format=xlsx`). */
  xlsxHref: string;
  /** When the link stops working, ISO instant. */
  linkExpiresAt?: string;
  /** Links to this subscription's other periods, when the page has them. */
  quick?: readonly QuickLinkInput[];
  /** Extra HTML after the button (the quick-link page's email form). */
  after?: string;
}

function changeHtml(parts: readonly ChangePart[]): string {
  return parts
    .map(
      (c) =>
        `<span class="change ${c.tone}">${c.arrow ? `${c.arrow}&nbsp;` : ''}${escapeHtml(c.text)}</span>`,
    )
    .join(' &middot; ');
}

function tilesHtml(m: Model): string {
  return `<div class="tiles" data-tiles="kpi">${m.tiles
    .map(
      (t, i) =>
        `<div class="tile ${t.tone}" data-tile="${i}"><div class="label">${escapeHtml(t.label)}</div>` +
        `<div class="value">${escapeHtml(t.value)}</div>` +
        t.notes.map((n) => `<div class="note">${escapeHtml(n)}</div>`).join('') +
        '</div>',
    )
    .join('')}</div>`;
}

function callFirstHtml(m: Model): string {
  const u = m.callFirst;
  if (u.clients === 0) return `<section class="calm" data-calm="1">&#10003; ${escapeHtml(u.calm)}</section>`;
  const rows = u.shown
    .map((x) => {
      const number = x.tel
        ? `<a class="num" href="${escapeHtml(x.tel)}">${escapeHtml(x.number)}</a>`
        : `<span class="num">${escapeHtml(x.number)}</span>`;
      const when = x.day
        ? `<span class="small">${escapeHtml(x.day)}</span><br>${escapeHtml(x.time)}`
        : escapeHtml(x.time);
      return (
        `<li data-client="${x.outcome}"><div class="when">${when}</div><div class="who">${number}` +
        (x.failed ? `<div class="failed">${escapeHtml(x.failed)}</div>` : '') +
        (x.details.length ? `<div class="muted">${x.details.map(escapeHtml).join(' &middot; ')}</div>` : '') +
        '</div></li>'
      );
    })
    .join('\n');
  return (
    '<section class="callfirst">' +
    `<h2>${escapeHtml(u.heading)}</h2><div class="hint">${escapeHtml(m.dict.email.unreturnedHint)}</div>` +
    `<ol data-call-first="list">\n${rows}\n</ol>` +
    (u.more ? `<div class="more">${escapeHtml(u.more)}</div>` : '') +
    '</section>'
  );
}

function buttonHtml(m: Model): string {
  return (
    '<section data-download="xlsx">' +
    `<a class="button" href="${escapeHtml(m.link.href)}" download>${escapeHtml(m.link.label)}</a>` +
    `<div class="muted">${escapeHtml(m.dict.pages.report.downloadHint)}</div>` +
    (m.link.expires ? `<div class="muted">${escapeHtml(m.link.expires)}</div>` : '') +
    '</section>'
  );
}

function figuresHtml(m: Model): string {
  const rows = m.figures.rows
    .map(
      (r) =>
        `<tr><td>${escapeHtml(r.label)}</td><td><span class="v">${escapeHtml(r.value)}</span>` +
        (r.extra ? ` <span class="x">(${escapeHtml(r.extra)})</span>` : '') +
        // The change under the value: a phone has no room for a third column.
        (r.change.length ? `<div class="c">${changeHtml(r.change)}</div>` : '') +
        '</td></tr>',
    )
    .join('\n');
  return (
    `<section><h2>${escapeHtml(m.dict.email.figuresTitle)}</h2>` +
    (m.figures.compared ? `<div class="muted">${escapeHtml(m.figures.compared)}</div>` : '') +
    `<table class="figures" data-figures="table">\n${rows}\n</table></section>`
  );
}

/** One bar: three rectangles in a 100-wide box, so the widths are attributes, not styles. */
function barSvg(width: number, values: readonly number[], colors: readonly string[]): string {
  if (width === 0) return '';
  let x = 0;
  const rects = splitPercent(values)
    .map((p, i) => {
      const w = (p * width) / 100;
      const rect =
        w > 0 ? `<rect x="${x.toFixed(2)}" width="${w.toFixed(2)}" height="10" fill="${colors[i]}"/>` : '';
      x += w;
      return rect;
    })
    .join('');
  return `<svg viewBox="0 0 100 10" preserveAspectRatio="none" aria-hidden="true">${rects}</svg>`;
}

function hoursHtml(m: Model): string {
  const e = m.dict.email;
  const title = `<h2>${escapeHtml(e.hoursTitle)}</h2>`;
  if (m.hours.length === 0)
    return `<section>${title}<div class="muted">${escapeHtml(e.noCalls)}</div></section>`;
  const legend =
    '<div class="legend">' +
    `<span><span class="sw-a">&#9632;</span>&nbsp;${escapeHtml(e.hoursLegend.answered)}</span>` +
    `<span><span class="sw-m">&#9632;</span>&nbsp;${escapeHtml(e.hoursLegend.missed)}</span>` +
    `<span><span class="sw-o">&#9632;</span>&nbsp;${escapeHtml(e.hoursLegend.outgoing)}</span></div>`;
  const cols = m.dict.columns.hours;
  const max = Math.max(...m.hours.map((h) => h.incoming + h.outgoing));
  const { answered, missed, outgoing } = COLORS;
  const rows = m.hours
    .map((h) => {
      const total = h.incoming + h.outgoing;
      const width = total === 0 ? 0 : Math.max(1, Math.round((100 * total) / max));
      const bar = barSvg(width, [h.incoming - h.missed, h.missed, h.outgoing], [answered, missed, outgoing]);
      return (
        `<tr data-hour="${h.hour}"><td class="h">${h.label}</td><td>${bar}</td>` +
        `<td class="n">${integer(h.incoming, m.lang)}</td>` +
        `<td class="n ${h.missed > 0 ? 'm' : 'z'}">${integer(h.missed, m.lang)}</td>` +
        `<td class="n z">${integer(h.outgoing, m.lang)}</td></tr>`
      );
    })
    .join('\n');
  return (
    `<section>${title}${legend}<table class="hours" data-chart="hours">` +
    `<tr><th></th><th></th><th>${escapeHtml(cols.incoming)}</th><th>${escapeHtml(cols.missed)}</th><th>${escapeHtml(cols.outgoing)}</th></tr>\n` +
    `${rows}\n</table></section>`
  );
}

const COLORS = { answered: COLOR.answered, missed: COLOR.missed, outgoing: COLOR.outgoing } as const;

/** The report page's HTML. */
export function renderReportPage(input: ReportPageInput): string {
  const m = emailModel(
    {
      summary: input.summary,
      language: input.language,
      link: input.xlsxHref,
      ...(input.linkExpiresAt ? { linkExpiresAt: input.linkExpiresAt } : {}),
      callFirstLimit: PAGE_CALL_FIRST_LIMIT,
      ...(input.quick ? { quickLinks: input.quick } : {}),
    },
    emailSubject(input.summary, input.language),
  );
  const body = [
    `<header><div class="kicker">${escapeHtml(m.dict.title)}</div><h1>${escapeHtml(m.title)}</h1>` +
      `<div class="muted">${escapeHtml(m.timezone)}</div>` +
      // The file at once, without scrolling past the clients to call (the button comes after them).
      `<a class="top-file" href="${escapeHtml(m.link.href)}" download>${escapeHtml(m.link.label)}</a></header>`,
    tilesHtml(m),
    callFirstHtml(m),
    buttonHtml(m),
    ...(input.after ? [input.after] : []),
    ...(m.quick ? [quickLinksHtml(m.quick)] : []),
    figuresHtml(m),
    hoursHtml(m),
    ...(m.generated ? [`<footer class="muted small">${escapeHtml(m.generated)}</footer>`] : []),
  ].join('\n');
  return pageHtml({ lang: m.lang, title: m.subject, body, name: 'report' });
}
