/**
 * The email's HTML part, built for mail clients, not browsers: layout tables
 * only, `bgcolor` plus inline styles, no images, no flex/grid, no `<style>`
 * block, so it reads the same in Outlook (Word engine), Gmail and a phone, with
 * images off. Every string from data (names, comments, numbers) is HTML-escaped.
 *
 * A fluid column, as phone mail clients expect: 600 px at most and the
 * screen's width below (a `max-width` block; Outlook, which ignores it, gets a
 * 600 px table in a conditional comment). Nothing in it has a fixed width
 * wider than a phone: the three tiles share the width and wrap their words,
 * the call list and the figures wrap their text, the hour chart's bar shrinks.
 */
import { integer } from '../format.ts';
import type { ChangePart, Tone } from './figures.ts';
import { splitPercent } from './hours.ts';
import type { Model, Tile } from './model.ts';

/** Escapes text for HTML content and attribute values. */
export function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

export const COLOR = {
  text: '#202124',
  muted: '#5f6368',
  good: '#188038',
  bad: '#c5221f',
  warn: '#a05a00',
  neutral: '#5f6368',
  answered: '#1a73e8',
  missed: '#d93025',
  outgoing: '#9aa0a6',
  border: '#e0e0e0',
  page: '#f4f5f7',
  card: '#ffffff',
  badBg: '#fce8e6',
  badLine: '#f3c9c5',
  goodBg: '#e6f4ea',
  button: '#1a73e8',
} as const;

const TONE: Record<Tone, string> = { good: COLOR.good, bad: COLOR.bad, neutral: COLOR.neutral };
const FONT = 'font-family:Arial,sans-serif';
const TABLE = 'role="presentation" cellpadding="0" cellspacing="0" border="0"';
/** Long words (a line's comment, an English label) break rather than widen the column. */
const WRAP = 'overflow-wrap:break-word;word-wrap:break-word';
/** The card's side padding: 16 px keeps 312 px for content on a 360 px phone. */
const SIDE = '16px';

function changeHtml(parts: readonly ChangePart[]): string {
  return parts
    .map(
      (c) =>
        `<span style="color:${TONE[c.tone]};white-space:nowrap">${c.arrow ? `${c.arrow}&nbsp;` : ''}${escapeHtml(c.text)}</span>`,
    )
    .join(' &middot; ');
}

/**
 * Three equal tiles side by side at any width: one table row each for the
 * labels, the figures and what they are made of, so the figures line up
 * whichever label wraps; fixed layout, so a long word wraps and never widens a tile.
 */
function tilesHtml(m: Model): string {
  const side = `border-left:1px solid ${COLOR.border};border-right:1px solid ${COLOR.border}`;
  const row = (inner: (t: Tile) => string, style: string, valign: string) =>
    `<tr>${m.tiles
      .map(
        (t, i) =>
          `<td width="33%" valign="${valign}" data-tile="${i}" style="${FONT};${WRAP};${side};text-align:center;padding:0 4px;${style}">${inner(t)}</td>`,
      )
      .join('')}</tr>`;
  const value = (t: Tile) =>
    `<span style="font-size:26px;line-height:32px;font-weight:bold;color:${t.tone === 'bad' ? COLOR.bad : COLOR.text}">${escapeHtml(t.value)}</span>`;
  const notes = (t: Tile) =>
    t.notes
      .map((n) => `<div style="font-size:12px;line-height:15px;color:${COLOR.muted}">${escapeHtml(n)}</div>`)
      .join('');
  return (
    `<table ${TABLE} width="100%" style="table-layout:fixed;border-collapse:collapse" data-tiles="kpi">` +
    row(
      (t) =>
        `<span style="font-size:13px;line-height:16px;color:${COLOR.muted}">${escapeHtml(t.label)}</span>`,
      `border-top:1px solid ${COLOR.border};padding-top:10px`,
      'bottom',
    ) +
    row(value, '', 'top') +
    row(notes, `border-bottom:1px solid ${COLOR.border};padding-bottom:10px`, 'top') +
    '</table>'
  );
}

function callFirstHtml(m: Model): string {
  const u = m.callFirst;
  if (u.clients === 0) {
    return (
      `<table ${TABLE} width="100%"><tr><td bgcolor="${COLOR.goodBg}" style="${FONT};background-color:${COLOR.goodBg};` +
      `border-left:4px solid ${COLOR.good};padding:12px 16px;font-size:16px;font-weight:bold;color:${COLOR.good}">` +
      `&#10003; ${escapeHtml(u.calm)}</td></tr></table>`
    );
  }
  const line = `border-top:1px solid ${COLOR.badLine}`;
  const rows = u.shown
    .map((x) => {
      const number = x.tel
        ? `<a href="${escapeHtml(x.tel)}" style="color:${COLOR.text};text-decoration:none;white-space:nowrap">${escapeHtml(x.number)}</a>`
        : escapeHtml(x.number);
      const when = x.day
        ? `<span style="font-size:12px">${escapeHtml(x.day)}</span><br>${escapeHtml(x.time)}`
        : escapeHtml(x.time);
      return (
        `<tr data-client="${x.outcome}">` +
        `<td valign="top" width="56" style="${FONT};padding:7px 8px 7px 0;font-size:14px;color:${COLOR.muted};white-space:nowrap;${line}">${when}</td>` +
        `<td valign="top" style="${FONT};${WRAP};padding:6px 0;font-size:14px;${line}">` +
        `<b style="font-size:16px">${number}</b>` +
        (x.failed ? `<div style="font-size:13px;color:${COLOR.warn}">${escapeHtml(x.failed)}</div>` : '') +
        (x.details.length
          ? `<div style="font-size:13px;color:${COLOR.muted}">${x.details.map(escapeHtml).join(' &middot; ')}</div>`
          : '') +
        '</td></tr>'
      );
    })
    .join('\n');
  const more = u.more
    ? `<tr><td colspan="2" style="${FONT};padding:6px 0;font-size:14px;color:${COLOR.bad};${line}">${escapeHtml(u.more)}</td></tr>`
    : '';
  return (
    `<table ${TABLE} width="100%"><tr><td bgcolor="${COLOR.badBg}" style="${FONT};${WRAP};background-color:${COLOR.badBg};border-left:4px solid ${COLOR.bad};padding:12px 12px 8px 12px">` +
    `<div style="font-size:18px;font-weight:bold;color:${COLOR.bad}">${escapeHtml(u.heading)}</div>` +
    `<div style="font-size:13px;color:${COLOR.text};padding:4px 0 8px 0">${escapeHtml(m.dict.email.unreturnedHint)}</div>` +
    `<table ${TABLE} width="100%" data-call-first="list">\n${rows}\n${more}</table>` +
    '</td></tr></table>'
  );
}

/** A bulletproof button: the colour lives on the table cell, so Outlook draws it without images or CSS. */
function buttonHtml(m: Model): string {
  const href = escapeHtml(m.link.href);
  return (
    `<table ${TABLE}><tr><td align="center" bgcolor="${COLOR.button}" style="background-color:${COLOR.button};border-radius:4px;padding:12px 24px">` +
    `<a href="${href}" target="_blank" style="${FONT};font-size:16px;font-weight:bold;color:#ffffff;text-decoration:none;display:inline-block">${escapeHtml(m.link.label)}</a>` +
    '</td></tr></table>' +
    (m.link.expires
      ? `<div style="${FONT};font-size:13px;color:${COLOR.muted};padding-top:8px">${escapeHtml(m.link.expires)}</div>`
      : '') +
    quickHtml(m) +
    `<div style="${FONT};font-size:12px;color:${COLOR.muted};padding-top:4px">${escapeHtml(m.dict.email.linkFallback)} ` +
    `<a href="${href}" style="color:${COLOR.button};word-break:break-all">${escapeHtml(m.link.text)}</a></div>`
  );
}

/** The quick links under the button: `Другой период: Эта неделя · Прошлая неделя · …`, wrapping between links. */
function quickHtml(m: Model): string {
  if (!m.quick) return '';
  const links = m.quick.links
    .map(
      (l) =>
        `<a href="${escapeHtml(l.href)}" target="_blank" style="color:${COLOR.button};white-space:nowrap">${escapeHtml(l.text)}</a>`,
    )
    .join(' &middot; ');
  return `<div data-quick="links" style="${FONT};font-size:14px;line-height:24px;color:${COLOR.muted};padding-top:8px">${escapeHtml(m.quick.label)} ${links}</div>`;
}

function figuresHtml(m: Model): string {
  const border = `border-bottom:1px solid ${COLOR.border}`;
  const rows = m.figures.rows
    .map(
      (r) =>
        '<tr>' +
        `<td style="${FONT};${WRAP};padding:6px 8px 6px 0;font-size:14px;${border}">${escapeHtml(r.label)}</td>` +
        `<td align="right" style="${FONT};padding:6px 0 6px 8px;font-size:14px;${border}">` +
        `<b style="white-space:nowrap;color:${COLOR.text}">${escapeHtml(r.value)}</b>` +
        (r.extra ? ` <span style="color:${COLOR.muted}">(${escapeHtml(r.extra)})</span>` : '') +
        '</td>' +
        `<td align="right" style="${FONT};padding:6px 0 6px 8px;font-size:13px;${border}">${changeHtml(r.change)}</td>` +
        '</tr>',
    )
    .join('\n');
  return (
    `<div style="${FONT};font-size:18px;font-weight:bold;color:${COLOR.text};padding-bottom:4px">${escapeHtml(m.dict.email.figuresTitle)}</div>` +
    (m.figures.compared
      ? `<div style="${FONT};font-size:13px;color:${COLOR.muted};padding-bottom:6px">${escapeHtml(m.figures.compared)}</div>`
      : '') +
    `<table ${TABLE} width="100%" data-figures="table">\n${rows}\n</table>`
  );
}

/** One coloured part of a bar: `bgcolor` alone colours a cell in every mail client, so no style repeats it. */
function barCell(width: number, color: string): string {
  return `<td width="${width}%" height="14" bgcolor="${color}" style="font-size:1px;line-height:1px">&nbsp;</td>`;
}

/** Calls by hour: one table row per hour, the bar a nested table whose cells carry the colours. */
function hoursHtml(m: Model): string {
  const e = m.dict.email;
  const title = `<div style="${FONT};font-size:18px;font-weight:bold;color:${COLOR.text};padding-bottom:6px">${escapeHtml(e.hoursTitle)}</div>`;
  if (m.hours.length === 0) {
    return `${title}<div style="${FONT};font-size:14px;color:${COLOR.muted}">${escapeHtml(e.noCalls)}</div>`;
  }
  const swatch = (color: string, label: string) =>
    `<span style="white-space:nowrap"><span style="color:${color};font-size:14px">&#9632;</span>&nbsp;${escapeHtml(label)}</span>`;
  const legend = `<div style="${FONT};font-size:12px;color:${COLOR.muted};padding-bottom:6px">${[
    swatch(COLOR.answered, e.hoursLegend.answered),
    swatch(COLOR.missed, e.hoursLegend.missed),
    swatch(COLOR.outgoing, e.hoursLegend.outgoing),
  ].join(' &nbsp; ')}</div>`;
  const cols = m.dict.columns.hours;
  const head = `style="${FONT};font-size:11px;color:${COLOR.muted};padding:0 0 4px 6px;white-space:nowrap"`;
  // Counts never wrap: ru groups digits with a no-break space, en with commas.
  const num = (color: string) =>
    `align="right" style="${FONT};font-size:12px;color:${color};padding:1px 0 1px 6px"`;
  const max = Math.max(...m.hours.map((h) => h.incoming + h.outgoing));
  const rows = m.hours
    .map((h) => {
      const total = h.incoming + h.outgoing;
      const width = total === 0 ? 0 : Math.max(1, Math.round((100 * total) / max));
      const values = [h.incoming - h.missed, h.missed, h.outgoing];
      const colors = [COLOR.answered, COLOR.missed, COLOR.outgoing];
      const split = splitPercent(values);
      const segments = split.map((p, i) => (p > 0 ? barCell(p, colors[i] ?? COLOR.outgoing) : '')).join('');
      const bar = width > 0 ? `<table ${TABLE} width="${width}%"><tr>${segments}</tr></table>` : '&nbsp;';
      return (
        '<tr data-hour="' +
        h.hour +
        '">' +
        `<td width="40" style="${FONT};font-size:12px;color:${COLOR.muted};padding:1px 6px 1px 0;white-space:nowrap">${h.label}</td>` +
        `<td style="padding:1px 0">${bar}</td>` +
        `<td width="40" ${num(COLOR.text)}>${integer(h.incoming, m.lang)}</td>` +
        `<td width="40" ${num(h.missed > 0 ? COLOR.missed : COLOR.muted)}>${integer(h.missed, m.lang)}</td>` +
        `<td width="40" ${num(COLOR.muted)}>${integer(h.outgoing, m.lang)}</td>` +
        '</tr>'
      );
    })
    .join('\n');
  return (
    title +
    legend +
    `<table ${TABLE} width="100%" data-chart="hours">\n` +
    `<tr><td ${head}></td><td ${head}></td><td align="right" ${head}>${escapeHtml(cols.incoming)}</td>` +
    `<td align="right" ${head}>${escapeHtml(cols.missed)}</td><td align="right" ${head}>${escapeHtml(cols.outgoing)}</td></tr>\n` +
    `${rows}\n</table>`
  );
}

export function renderHtml(m: Model): string {
  const preheader = m.callFirst.clients > 0 ? m.callFirst.heading : m.callFirst.calm;
  const section = (inner: string, pad = `12px ${SIDE}`) =>
    `<tr><td style="${FONT};padding:${pad};color:${COLOR.text}">${inner}</td></tr>`;
  return [
    '<!DOCTYPE html>',
    `<html lang="${m.lang}"><head><meta charset="utf-8">`,
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    `<title>${escapeHtml(m.subject)}</title></head>`,
    `<body style="margin:0;padding:0;background-color:${COLOR.page}">`,
    `<div style="display:none;max-height:0;overflow:hidden;mso-hide:all">${escapeHtml(preheader)}</div>`,
    `<table ${TABLE} width="100%" bgcolor="${COLOR.page}" style="background-color:${COLOR.page}"><tr><td align="center" style="padding:16px 8px">`,
    `<!--[if mso]><table ${TABLE} width="600" align="center"><tr><td><![endif]-->`,
    '<div style="max-width:600px;margin:0 auto" data-column="email">',
    `<table ${TABLE} width="100%" bgcolor="${COLOR.card}" style="width:100%;background-color:${COLOR.card}">`,
    section(
      `<div style="font-size:12px;color:${COLOR.muted};text-transform:uppercase;letter-spacing:1px">${escapeHtml(m.dict.title)}</div>` +
        `<h1 style="${FONT};font-size:22px;line-height:28px;margin:4px 0 2px 0;color:${COLOR.text}">${escapeHtml(m.title)}</h1>` +
        `<div style="font-size:12px;color:${COLOR.muted}">${escapeHtml(m.timezone)}</div>`,
      `20px ${SIDE} 8px ${SIDE}`,
    ),
    section(tilesHtml(m), `8px ${SIDE}`),
    section(callFirstHtml(m)),
    section(buttonHtml(m), `8px ${SIDE} 16px ${SIDE}`),
    section(figuresHtml(m)),
    section(hoursHtml(m)),
    ...(m.generated
      ? [
          section(
            `<div style="font-size:12px;color:${COLOR.muted}">${escapeHtml(m.generated)}</div>`,
            `8px ${SIDE} 20px ${SIDE}`,
          ),
        ]
      : []),
    '</table>',
    '</div>',
    '<!--[if mso]></td></tr></table><![endif]-->',
    '</td></tr></table>',
    '</body></html>',
    '',
  ].join('\n');
}
