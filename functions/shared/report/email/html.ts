/**
 * The email's HTML part, built for mail clients, not browsers: layout tables
 * only, `bgcolor` plus inline styles, no images, no flex/grid, no `<style>`
 * block, so it reads the same in Outlook (Word engine), Gmail and a phone, with
 * images off. Every string from data (names, comments, numbers) is HTML-escaped.
 */
import { integer } from '../format.ts';
import type { ChangePart, Tone } from './figures.ts';
import { splitPercent } from './hours.ts';
import type { Model } from './model.ts';
import { entryDetails } from './unreturned.ts';

/** Escapes text for HTML content and attribute values. */
export function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

const COLOR = {
  text: '#202124',
  muted: '#5f6368',
  good: '#188038',
  bad: '#c5221f',
  neutral: '#5f6368',
  answered: '#1a73e8',
  missed: '#d93025',
  outgoing: '#9aa0a6',
  border: '#e0e0e0',
  page: '#f4f5f7',
  card: '#ffffff',
  badBg: '#fce8e6',
  goodBg: '#e6f4ea',
  button: '#1a73e8',
} as const;

const TONE: Record<Tone, string> = { good: COLOR.good, bad: COLOR.bad, neutral: COLOR.neutral };
const FONT = 'font-family:Arial,Helvetica,sans-serif';
const TABLE = 'role="presentation" cellpadding="0" cellspacing="0" border="0"';

function changeHtml(parts: readonly ChangePart[]): string {
  return parts
    .map(
      (c) =>
        `<span style="color:${TONE[c.tone]};white-space:nowrap">${c.arrow ? `${c.arrow}&nbsp;` : ''}${escapeHtml(c.text)}</span>`,
    )
    .join(' &middot; ');
}

function kpiHtml(m: Model): string {
  const cells = m.kpis
    .map(
      (k) =>
        `<td width="33%" valign="top" style="${FONT};padding:12px 8px;border:1px solid ${COLOR.border};text-align:center">` +
        `<div style="font-size:13px;color:${COLOR.muted}">${escapeHtml(k.label)}</div>` +
        `<div style="font-size:24px;font-weight:bold;color:${k.tone === 'neutral' ? COLOR.text : TONE[k.tone]}">${escapeHtml(k.value)}</div>` +
        '</td>',
    )
    .join('');
  return `<table ${TABLE} width="100%"><tr>${cells}</tr></table>`;
}

function unreturnedHtml(m: Model): string {
  const u = m.unreturned;
  if (u.entries.length === 0) {
    return (
      `<table ${TABLE} width="100%"><tr><td bgcolor="${COLOR.goodBg}" style="${FONT};background-color:${COLOR.goodBg};` +
      `border-left:4px solid ${COLOR.good};padding:12px 16px;font-size:16px;font-weight:bold;color:${COLOR.good}">` +
      `&#10003; ${escapeHtml(u.calm)}</td></tr></table>`
    );
  }
  const rows = u.shown
    .map((x) => {
      const number = x.tel
        ? `<a href="tel:+${escapeHtml(x.tel)}" style="color:${COLOR.text};text-decoration:none">${escapeHtml(x.number)}</a>`
        : escapeHtml(x.number);
      const details = entryDetails(x, m.dict, m.lang);
      return (
        '<tr>' +
        `<td valign="top" width="70" style="${FONT};padding:6px 8px 6px 0;font-size:14px;color:${COLOR.muted};white-space:nowrap;border-top:1px solid #f3c9c5">${escapeHtml(x.when)}</td>` +
        `<td valign="top" style="${FONT};padding:6px 0;font-size:14px;border-top:1px solid #f3c9c5">` +
        `<b style="font-size:15px">${number}</b>` +
        (details.length
          ? `<br><span style="font-size:13px;color:${COLOR.muted}">${details.map(escapeHtml).join(' &middot; ')}</span>`
          : '') +
        '</td></tr>'
      );
    })
    .join('\n');
  const more = u.more
    ? `<tr><td colspan="2" style="${FONT};padding:6px 0;font-size:14px;color:${COLOR.bad};border-top:1px solid #f3c9c5">${escapeHtml(u.more)}</td></tr>`
    : '';
  return (
    `<table ${TABLE} width="100%"><tr><td bgcolor="${COLOR.badBg}" style="${FONT};background-color:${COLOR.badBg};border-left:4px solid ${COLOR.bad};padding:12px 16px">` +
    `<div style="font-size:18px;font-weight:bold;color:${COLOR.bad}">${escapeHtml(u.heading)}</div>` +
    `<div style="font-size:13px;color:${COLOR.text};padding:4px 0 8px 0">${escapeHtml(m.dict.email.unreturnedHint)}</div>` +
    `<table ${TABLE} width="100%" data-unreturned="list">\n${rows}\n${more}</table>` +
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
    `<div style="${FONT};font-size:12px;color:${COLOR.muted};padding-top:4px">${escapeHtml(m.dict.email.linkFallback)} ` +
    `<a href="${href}" style="color:${COLOR.button};word-break:break-all">${escapeHtml(m.link.text)}</a></div>`
  );
}

function figuresHtml(m: Model): string {
  const cell = `style="${FONT};padding:6px 8px;font-size:14px;border-bottom:1px solid ${COLOR.border}"`;
  const rows = m.figures.rows
    .map(
      (r) =>
        '<tr>' +
        `<td ${cell}>${escapeHtml(r.label)}</td>` +
        `<td align="right" style="${FONT};padding:6px 8px;font-size:14px;font-weight:bold;white-space:nowrap;border-bottom:1px solid ${COLOR.border};color:${r.tone === 'neutral' ? COLOR.text : TONE[r.tone]}">${escapeHtml(r.value)}</td>` +
        `<td align="right" style="${FONT};padding:6px 0 6px 8px;font-size:13px;border-bottom:1px solid ${COLOR.border}">${changeHtml(r.change)}</td>` +
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

function barCell(width: number, color: string): string {
  return (
    `<td width="${width}%" height="14" bgcolor="${color}" ` +
    `style="background-color:${color};height:14px;font-size:1px;line-height:1px">&nbsp;</td>`
  );
}

/** Calls by hour: one table row per hour, the bar a nested table whose cells carry the colours. */
function hoursHtml(m: Model): string {
  const e = m.dict.email;
  const title = `<div style="${FONT};font-size:18px;font-weight:bold;color:${COLOR.text};padding-bottom:6px">${escapeHtml(e.hoursTitle)}</div>`;
  if (m.hours.length === 0) {
    return `${title}<div style="${FONT};font-size:14px;color:${COLOR.muted}">${escapeHtml(e.noCalls)}</div>`;
  }
  const swatch = (color: string, label: string) =>
    `<span style="color:${color};font-size:14px">&#9632;</span>&nbsp;${escapeHtml(label)}`;
  const legend = `<div style="${FONT};font-size:12px;color:${COLOR.muted};padding-bottom:6px">${[
    swatch(COLOR.answered, e.hoursLegend.answered),
    swatch(COLOR.missed, e.hoursLegend.missed),
    swatch(COLOR.outgoing, e.hoursLegend.outgoing),
  ].join(' &nbsp; ')}</div>`;
  const cols = m.dict.columns.hours;
  const head = `style="${FONT};font-size:11px;color:${COLOR.muted};padding:0 0 4px 6px;white-space:nowrap"`;
  const num = (color: string) =>
    `align="right" style="${FONT};font-size:12px;color:${color};padding:1px 0 1px 6px;white-space:nowrap"`;
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
        `<td width="44" style="${FONT};font-size:12px;color:${COLOR.muted};padding:1px 6px 1px 0;white-space:nowrap">${h.label}</td>` +
        `<td style="padding:1px 0">${bar}</td>` +
        `<td width="44" ${num(COLOR.text)}>${integer(h.incoming, m.lang)}</td>` +
        `<td width="44" ${num(h.missed > 0 ? COLOR.missed : COLOR.muted)}>${integer(h.missed, m.lang)}</td>` +
        `<td width="44" ${num(COLOR.muted)}>${integer(h.outgoing, m.lang)}</td>` +
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
  const preheader = m.unreturned.entries.length > 0 ? m.unreturned.heading : m.unreturned.calm;
  const section = (inner: string, pad = '16px 24px') =>
    `<tr><td style="${FONT};padding:${pad};color:${COLOR.text}">${inner}</td></tr>`;
  return [
    '<!DOCTYPE html>',
    `<html lang="${m.lang}"><head><meta charset="utf-8">`,
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    `<title>${escapeHtml(m.subject)}</title></head>`,
    `<body style="margin:0;padding:0;background-color:${COLOR.page}">`,
    `<div style="display:none;max-height:0;overflow:hidden;mso-hide:all">${escapeHtml(preheader)}</div>`,
    `<table ${TABLE} width="100%" bgcolor="${COLOR.page}" style="background-color:${COLOR.page}"><tr><td align="center" style="padding:16px 8px">`,
    `<table ${TABLE} width="600" bgcolor="${COLOR.card}" style="width:600px;max-width:100%;background-color:${COLOR.card}">`,
    section(
      `<div style="font-size:12px;color:${COLOR.muted};text-transform:uppercase;letter-spacing:1px">${escapeHtml(m.dict.title)}</div>` +
        `<h1 style="${FONT};font-size:22px;margin:4px 0 2px 0;color:${COLOR.text}">${escapeHtml(m.title)}</h1>` +
        `<div style="font-size:12px;color:${COLOR.muted}">${escapeHtml(m.timezone)}</div>`,
      '24px 24px 8px 24px',
    ),
    section(kpiHtml(m), '8px 24px'),
    section(unreturnedHtml(m)),
    section(buttonHtml(m), '8px 24px 16px 24px'),
    section(figuresHtml(m)),
    section(hoursHtml(m)),
    ...(m.generated
      ? [
          section(
            `<div style="font-size:12px;color:${COLOR.muted}">${escapeHtml(m.generated)}</div>`,
            '8px 24px 24px 24px',
          ),
        ]
      : []),
    '</table>',
    '</td></tr></table>',
    '</body></html>',
    '',
  ].join('\n');
}
