/**
 * The manager's email, made from a summary: a subject that carries the news,
 * the numbers nobody called back (first, since they are what a manager acts on),
 * the download button with the link's expiry, the headline figures with their
 * change against the previous period, and calls by hour as a bar chart.
 *
 * The HTML is built for mail clients, not browsers: layout tables only,
 * `bgcolor` plus inline styles, no images, no flex/grid, no `<style>` block, so
 * it reads the same in Outlook (Word engine), Gmail and a phone, with images off.
 * The plain-text part carries the same content. Every string from data (names,
 * comments, numbers) is HTML-escaped; words come from `i18n.ts`.
 */
import { pathToFileURL } from 'node:url';
import { formatWallDate, type Period, toWall } from '../time.ts';
import { type Dictionary, dictionary, fill } from './i18n.ts';
import type { MissedCallResolution, Summary, Totals } from './types.ts';

export type EmailLanguage = 'ru' | 'en';

export interface EmailContent {
  subject: string;
  text: string;
  html: string;
}

export interface EmailInput {
  summary: Summary;
  missed: readonly MissedCallResolution[];
  language: EmailLanguage;
  /** Where the workbook is: a download link (or a local path in the CLI). */
  link: string;
  /** When the link stops working, ISO instant; omitted for local paths. */
  linkExpiresAt?: string;
  /** How many unreturned numbers to list before "… and N more" (default 10). */
  unreturnedLimit?: number;
}

export const DEFAULT_UNRETURNED_LIMIT = 10;

// ---------------------------------------------------------------------------
// Words and numbers

type PluralForms = Dictionary['email']['nouns']['calls'];

const pluralRules = { ru: new Intl.PluralRules('ru'), en: new Intl.PluralRules('en') } as const;
const integerFormats = { ru: new Intl.NumberFormat('ru-RU'), en: new Intl.NumberFormat('en-US') } as const;
const decimalFormats = {
  ru: new Intl.NumberFormat('ru-RU', { maximumFractionDigits: 1 }),
  en: new Intl.NumberFormat('en-US', { maximumFractionDigits: 1 }),
} as const;

/** The noun form for a count, by `Intl.PluralRules`: ru 1 звонок, 3 звонка, 5 звонков, 21 звонок. */
export function pluralForm(n: number, forms: PluralForms, lang: EmailLanguage): string {
  const category = pluralRules[lang].select(n);
  return category === 'one' || category === 'few' || category === 'many' ? forms[category] : forms.other;
}

/** A count with its noun: `3 звонка`, `5 звонков`, `1 call`, `12 400 звонков`. */
export function countOf(n: number, forms: PluralForms, lang: EmailLanguage): string {
  return `${integerFormats[lang].format(n)} ${pluralForm(n, forms, lang)}`;
}

function int(n: number, lang: EmailLanguage): string {
  return integerFormats[lang].format(n);
}

/** A rate as a whole percentage that never says 0% or 100% when it is not: `<1%`, `>99%`. */
export function percent(rate: number): string {
  if (rate > 0 && rate < 0.01) return '<1%';
  if (rate > 0.99 && rate < 1) return '>99%';
  return `${Math.round(rate * 100)}%`;
}

/** `YYYY-MM-DD` as a person of the language writes it: ru `21.10.2024`, en `2024-10-21`. */
export function formatDay(day: string, lang: EmailLanguage): string {
  if (lang === 'en') return day;
  const [y, m, d] = day.split('-');
  return `${d}.${m}.${y}`;
}

function periodText(period: Period, dict: Dictionary, lang: EmailLanguage): string {
  return period.from === period.till
    ? fill(dict.email.periodDay, { day: formatDay(period.from, lang) })
    : fill(dict.email.periodRange, {
        from: formatDay(period.from, lang),
        till: formatDay(period.till, lang),
      });
}

/** A duration for people: `25 с`, `4 мин 5 с`, `18 ч 45 мин`. */
export function humanDuration(seconds: number, dict: Dictionary, lang: EmailLanguage): string {
  const u = dict.email.duration;
  const total = Math.round(Math.abs(seconds));
  if (total < 60) return `${total} ${u.seconds}`;
  if (total < 3600) {
    const m = Math.floor(total / 60);
    const s = total % 60;
    return s ? `${m} ${u.minutes} ${s} ${u.seconds}` : `${m} ${u.minutes}`;
  }
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  return m ? `${int(h, lang)} ${u.hours} ${m} ${u.minutes}` : `${int(h, lang)} ${u.hours}`;
}

/** `HH:MM` of a wall instant. */
function clock(wall: number): string {
  return new Date(wall).toISOString().slice(11, 16);
}

// ---------------------------------------------------------------------------
// The subject

export function emailSubject(s: Summary, lang: EmailLanguage): string {
  const dict = dictionary(lang);
  return fill(dict.email.subject, {
    period: periodText(s.period, dict, lang),
    missed: int(s.totals.incoming_missed, lang),
    incoming: int(s.totals.incoming, lang),
    rate: percent(s.totals.missed_rate),
    unreturned: int(s.missed.unreturned, lang),
  });
}

// ---------------------------------------------------------------------------
// The content, independent of HTML or text

/** good / bad: what a rise of the figure means to a manager; neutral: neither. */
type Polarity = 'up_good' | 'up_bad' | 'neutral';
type Tone = 'good' | 'bad' | 'neutral';

/** One part of a figure's change: `▲ +3`, `▼ −2 п.п.`, `без изменений`. */
interface ChangePart {
  text: string;
  arrow: '▲' | '▼' | '';
  tone: Tone;
}

interface FigureRow {
  label: string;
  value: string;
  /** Colour of the value itself (e.g. unreturned > 0 is bad). */
  tone: Tone;
  /** Empty when there is no previous period or the figure has no previous value. */
  change: ChangePart[];
}

const MINUS = '\u2212';

function changePart(delta: number, shown: string, polarity: Polarity, dict: Dictionary): ChangePart {
  if (delta === 0) return { text: dict.email.noChange, arrow: '', tone: 'neutral' };
  const up = delta > 0;
  const tone: Tone = polarity === 'neutral' ? 'neutral' : up === (polarity === 'up_good') ? 'good' : 'bad';
  return { text: `${up ? '+' : MINUS}${shown}`, arrow: up ? '▲' : '▼', tone };
}

function countChange(cur: number, prev: number, polarity: Polarity, dict: Dictionary, lang: EmailLanguage) {
  const d = cur - prev;
  return changePart(d, int(Math.abs(d), lang), polarity, dict);
}

/** A rate's change in percentage points, one decimal: `+1,5 п.п.`, `−2 pp`. */
function rateChange(cur: number, prev: number, polarity: Polarity, dict: Dictionary, lang: EmailLanguage) {
  const points = Math.round((cur - prev) * 1000) / 10;
  return changePart(
    points,
    `${decimalFormats[lang].format(Math.abs(points))} ${dict.units.points}`,
    polarity,
    dict,
  );
}

function secondsChange(
  cur: number | null,
  prev: number | null,
  polarity: Polarity,
  dict: Dictionary,
  lang: EmailLanguage,
): ChangePart[] {
  if (cur === null || prev === null) return [];
  const d = Math.round(cur - prev);
  return [changePart(d, humanDuration(d, dict, lang), polarity, dict)];
}

function figureRows(s: Summary, dict: Dictionary, lang: EmailLanguage): FigureRow[] {
  const t = s.totals;
  const m = s.missed;
  const p: Totals | null = s.previous?.totals ?? null;
  const f = dict.figures;
  const mf = dict.missedFigures;
  const seconds = (v: number | null) => (v === null ? '—' : humanDuration(v, dict, lang));
  const missedChange = (): ChangePart[] => {
    if (!p) return [];
    const count = countChange(t.incoming_missed, p.incoming_missed, 'up_bad', dict, lang);
    const rate = rateChange(t.missed_rate, p.missed_rate, 'up_bad', dict, lang);
    if (count.arrow === '' && rate.arrow === '') return [count];
    return [count, rate].filter((c) => c.arrow !== '');
  };
  return [
    {
      label: f.incoming.label,
      value: int(t.incoming, lang),
      tone: 'neutral',
      change: p ? [countChange(t.incoming, p.incoming, 'neutral', dict, lang)] : [],
    },
    {
      label: f.incoming_missed.label,
      value: `${int(t.incoming_missed, lang)} (${percent(t.missed_rate)})`,
      tone: 'neutral',
      change: missedChange(),
    },
    { label: mf.called_back.label, value: int(m.called_back, lang), tone: 'neutral', change: [] },
    {
      label: mf.client_called_again.label,
      value: int(m.client_called_again, lang),
      tone: 'neutral',
      change: [],
    },
    { label: mf.callback_failed.label, value: int(m.callback_failed, lang), tone: 'neutral', change: [] },
    {
      label: mf.unreturned.label,
      value: int(m.unreturned, lang),
      tone: m.unreturned > 0 ? 'bad' : m.total > 0 ? 'good' : 'neutral',
      change: [],
    },
    {
      label: f.avg_wait_seconds.label,
      value: seconds(t.avg_wait_seconds),
      tone: 'neutral',
      change: p ? secondsChange(t.avg_wait_seconds, p.avg_wait_seconds, 'up_bad', dict, lang) : [],
    },
    {
      label: fill(dict.email.slaLabel, { label: f.sla_rate.label, sla: t.sla_seconds }),
      value: percent(t.sla_rate),
      tone: 'neutral',
      change: p ? [rateChange(t.sla_rate, p.sla_rate, 'up_good', dict, lang)] : [],
    },
    {
      label: f.talk_seconds.label,
      value: seconds(t.talk_seconds),
      tone: 'neutral',
      change: p ? secondsChange(t.talk_seconds, p.talk_seconds, 'neutral', dict, lang) : [],
    },
    {
      label: f.outgoing.label,
      value: `${int(t.outgoing, lang)} (${fill(dict.email.outgoingAnswered, { count: int(t.outgoing_answered, lang) })})`,
      tone: 'neutral',
      change: p ? [countChange(t.outgoing, p.outgoing, 'neutral', dict, lang)] : [],
    },
  ];
}

/** One unreturned client: all unreturned missed calls from one number. */
interface UnreturnedEntry {
  when: string;
  number: string;
  /** Digits for a `tel:` link, or null for a hidden number. */
  tel: string | null;
  line: string;
  /** How many times the number was missed in the period (shown when > 1). */
  times: number;
  /** Unreturned missed calls from this number. */
  calls: number;
  rangFor: string[];
}

function unreturnedEntries(input: EmailInput, dict: Dictionary, lang: EmailLanguage): UnreturnedEntry[] {
  const oneDay = input.summary.period.from === input.summary.period.till;
  const groups = new Map<string, MissedCallResolution[]>();
  for (const r of input.missed) {
    if (r.outcome !== 'unreturned') continue;
    const key = r.call.contactNormal ?? `call:${r.call.id}`;
    const list = groups.get(key);
    if (list) list.push(r);
    else groups.set(key, [r]);
  }
  const entries: Array<UnreturnedEntry & { start: number }> = [];
  for (const list of groups.values()) {
    list.sort((a, b) => a.call.start - b.call.start || a.call.id - b.call.id);
    const first = list[0];
    if (!first) continue;
    const c = first.call;
    const names = [...new Set(list.flatMap((r) => r.call.employees))];
    entries.push({
      start: c.start,
      when: oneDay ? clock(c.start) : `${formatDay(formatWallDate(c.start), lang)} ${clock(c.start)}`,
      number: c.contactNumber ?? c.contactNormal ?? dict.email.hiddenNumber,
      tel: c.contactNormal && /^\d{5,15}$/.test(c.contactNormal) ? c.contactNormal : null,
      line: c.virtualNumberComment ?? c.virtualNumber ?? '',
      times: Math.max(list.length, ...list.map((r) => r.times_missed_in_period)),
      calls: list.length,
      rangFor: names,
    });
  }
  // The one who has waited longest first.
  entries.sort((a, b) => a.start - b.start);
  return entries;
}

/** At most three names, then `+N`. */
function namesShort(names: readonly string[]): string {
  return names.length <= 3 ? names.join(', ') : `${names.slice(0, 3).join(', ')} +${names.length - 3}`;
}

interface HourBar {
  hour: number;
  label: string;
  incoming: number;
  missed: number;
  outgoing: number;
}

/** From the first hour with calls to the last (gaps inside stay visible); empty when no calls. */
export function chartHours(s: Summary): HourBar[] {
  const byHour = new Map(s.hours.map((h) => [h.hour, h]));
  const active = s.hours.filter((h) => h.incoming + h.outgoing > 0).map((h) => h.hour);
  if (active.length === 0) return [];
  const first = Math.min(...active);
  const last = Math.max(...active);
  const bars: HourBar[] = [];
  for (let hour = first; hour <= last; hour++) {
    const h = byHour.get(hour);
    bars.push({
      hour,
      label: `${String(hour).padStart(2, '0')}:00`,
      incoming: h?.incoming ?? 0,
      missed: h?.incoming_missed ?? 0,
      outgoing: h?.outgoing ?? 0,
    });
  }
  return bars;
}

/** Whole percentages of `values` that add up to exactly 100 (largest remainder); a nonzero value gets at least 1. */
function splitPercent(values: readonly number[]): number[] {
  const total = values.reduce((a, b) => a + b, 0);
  if (total === 0) return values.map(() => 0);
  const exact = values.map((v) => (v * 100) / total);
  const parts = exact.map((x) => Math.floor(x));
  let left = 100 - parts.reduce((a, b) => a + b, 0);
  const byRemainder = exact.map((x, i) => ({ i, r: x - Math.floor(x) })).sort((a, b) => b.r - a.r);
  for (const { i } of byRemainder) {
    if (left <= 0) break;
    parts[i] = (parts[i] ?? 0) + 1;
    left--;
  }
  // Keep a small nonzero value visible: 1% taken from the largest part.
  values.forEach((v, i) => {
    if (v > 0 && parts[i] === 0) {
      const largest = parts.indexOf(Math.max(...parts));
      parts[largest] = (parts[largest] ?? 0) - 1;
      parts[i] = 1;
    }
  });
  return parts;
}

function expiryDay(linkExpiresAt: string | undefined, timezone: string): string | null {
  if (!linkExpiresAt) return null;
  const ms = Date.parse(linkExpiresAt);
  if (Number.isNaN(ms)) return null;
  return formatWallDate(toWall(ms, timezone));
}

/** The `href` of the link: URLs as they are, a local absolute path as `file:`; script schemes never. */
function hrefOf(link: string): string {
  if (/^(javascript|data|vbscript):/i.test(link.trim())) return '#';
  if (link.startsWith('/')) return pathToFileURL(link).href;
  return link;
}

interface Model {
  lang: EmailLanguage;
  dict: Dictionary;
  subject: string;
  title: string;
  timezone: string;
  kpis: Array<{ label: string; value: string; tone: Tone }>;
  unreturned: {
    /** Distinct numbers nobody called back (shown ones plus the rest). */
    entries: UnreturnedEntry[];
    shown: UnreturnedEntry[];
    heading: string;
    more: string | null;
    /** When the list is empty: the reassuring line. */
    calm: string;
  };
  link: { href: string; text: string; label: string; expires: string | null };
  figures: { rows: FigureRow[]; compared: string | null };
  hours: HourBar[];
  generated: string;
}

function model(input: EmailInput): Model {
  const { summary: s, language: lang } = input;
  const dict = dictionary(lang);
  const e = dict.email;
  const limit = Math.max(0, Math.floor(input.unreturnedLimit ?? DEFAULT_UNRETURNED_LIMIT));
  const entries = unreturnedEntries(input, dict, lang);
  const shown = entries.slice(0, limit);
  const rest = entries.length - shown.length;
  const unreturnedCalls = entries.reduce((n, x) => n + x.calls, 0);
  const heading =
    fill(e.unreturnedTitle, { numbers: countOf(entries.length, e.nouns.numbers, lang) }) +
    (unreturnedCalls > entries.length ? ` (${countOf(unreturnedCalls, e.nouns.missedCalls, lang)})` : '');
  const calm =
    s.missed.total === 0
      ? e.noMissed
      : s.missed.callback_failed > 0
        ? fill(e.allCalledBackFailed, { count: int(s.missed.callback_failed, lang) })
        : e.allCalledBack;
  const expires = expiryDay(input.linkExpiresAt, s.period.timezone);
  const generatedMs = Date.parse(s.generated_at);
  const generatedWall = Number.isNaN(generatedMs) ? null : toWall(generatedMs, s.period.timezone);
  return {
    lang,
    dict,
    subject: emailSubject(s, lang),
    title: fill(e.title, { period: periodText(s.period, dict, lang) }),
    timezone: fill(e.timezone, { zone: s.period.timezone }),
    kpis: [
      { label: dict.figures.incoming.label, value: int(s.totals.incoming, lang), tone: 'neutral' },
      {
        label: dict.figures.incoming_missed.label,
        value: `${int(s.totals.incoming_missed, lang)} (${percent(s.totals.missed_rate)})`,
        tone: s.totals.incoming_missed > 0 ? 'bad' : 'neutral',
      },
      {
        label: dict.missedFigures.unreturned.label,
        value: int(s.missed.unreturned, lang),
        tone: s.missed.unreturned > 0 ? 'bad' : 'good',
      },
    ],
    unreturned: {
      entries,
      shown,
      heading,
      more:
        rest > 0 ? fill(e.more, { n: int(rest, lang), noun: pluralForm(rest, e.nouns.numbers, lang) }) : null,
      calm,
    },
    link: {
      href: hrefOf(input.link),
      text: input.link,
      label: e.download,
      expires: expires ? fill(e.linkExpires, { date: formatDay(expires, lang) }) : null,
    },
    figures: {
      rows: figureRows(s, dict, lang),
      compared: s.previous
        ? fill(e.comparedWith, { period: periodText(s.previous.period, dict, lang) })
        : null,
    },
    hours: chartHours(s),
    generated:
      generatedWall === null
        ? ''
        : fill(e.generatedAt, {
            at: `${formatDay(formatWallDate(generatedWall), lang)} ${clock(generatedWall)}`,
          }),
  };
}

function entryDetails(u: UnreturnedEntry, m: Model): string[] {
  const e = m.dict.email;
  return [
    ...(u.line ? [u.line] : []),
    ...(u.times > 1 ? [fill(e.calledTimes, { times: countOf(u.times, e.nouns.times, m.lang) })] : []),
    ...(u.rangFor.length ? [fill(e.rangFor, { names: namesShort(u.rangFor) })] : []),
  ];
}

// ---------------------------------------------------------------------------
// Plain text

function changeText(parts: readonly ChangePart[]): string {
  return parts.map((c) => (c.arrow ? `${c.arrow} ${c.text}` : c.text)).join(' · ');
}

const TEXT_BAR = 30;

function renderText(m: Model): string {
  const e = m.dict.email;
  const lines: string[] = [
    m.title,
    m.timezone,
    '',
    m.kpis.map((k) => `${k.label}: ${k.value}`).join(' · '),
    '',
  ];
  if (m.unreturned.entries.length > 0) {
    lines.push(`${m.unreturned.heading.toUpperCase()}`, e.unreturnedHint);
    for (const u of m.unreturned.shown) {
      const details = entryDetails(u, m);
      lines.push(`  ${u.when}  ${u.number}${details.length ? `  — ${details.join('; ')}` : ''}`);
    }
    if (m.unreturned.more) lines.push(`  ${m.unreturned.more}`);
  } else {
    lines.push(m.unreturned.calm);
  }
  lines.push('', `${m.link.label}: ${m.link.text}`);
  if (m.link.expires) lines.push(m.link.expires);
  lines.push('', m.figures.compared ? `${e.figuresTitle} (${m.figures.compared})` : e.figuresTitle);
  for (const r of m.figures.rows) {
    lines.push(`  ${r.label}: ${r.value}${r.change.length ? `  (${changeText(r.change)})` : ''}`);
  }
  lines.push('', e.hoursTitle);
  if (m.hours.length === 0) {
    lines.push(`  ${e.noCalls}`);
  } else {
    const cols = m.dict.columns.hours;
    lines.push(
      `  (█ ${e.hoursLegend.answered}, ▒ ${e.hoursLegend.missed}, ░ ${e.hoursLegend.outgoing}; ${cols.incoming} / ${cols.missed} / ${cols.outgoing})`,
    );
    const max = Math.max(...m.hours.map((h) => h.incoming + h.outgoing));
    for (const h of m.hours) {
      const total = h.incoming + h.outgoing;
      const width = total === 0 ? 0 : Math.max(1, Math.round((TEXT_BAR * total) / max));
      const [a = 0, mi = 0, o = 0] = splitPercent([h.incoming - h.missed, h.missed, h.outgoing]).map((p) =>
        Math.round((p * width) / 100),
      );
      const bar = '█'.repeat(a) + '▒'.repeat(mi) + '░'.repeat(o);
      lines.push(
        `  ${h.label}  ${bar.padEnd(TEXT_BAR + 1)} ${int(h.incoming, m.lang)} / ${int(h.missed, m.lang)} / ${int(h.outgoing, m.lang)}`,
      );
    }
  }
  if (m.generated) lines.push('', m.generated);
  return `${lines.join('\n')}\n`;
}

// ---------------------------------------------------------------------------
// HTML

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
      const details = entryDetails(x, m);
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
        `<td width="44" ${num(COLOR.text)}>${int(h.incoming, m.lang)}</td>` +
        `<td width="44" ${num(h.missed > 0 ? COLOR.missed : COLOR.muted)}>${int(h.missed, m.lang)}</td>` +
        `<td width="44" ${num(COLOR.muted)}>${int(h.outgoing, m.lang)}</td>` +
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

function renderHtml(m: Model): string {
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

// ---------------------------------------------------------------------------

/** The email of one report: subject, plain text and HTML, in the requested language. */
export function buildEmail(input: EmailInput): EmailContent {
  const m = model(input);
  return { subject: m.subject, text: renderText(m), html: renderHtml(m) };
}
