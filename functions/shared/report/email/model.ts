/**
 * The email's model: what the manager's email says, made from a summary,
 * before any HTML or text. The renderers (`html.ts`, `text.ts`) only lay it
 * out. Words come from `i18n.ts`, forms from `format.ts`.
 */
import { pathToFileURL } from 'node:url';
import {
  countOf,
  dayInZone,
  formatDay,
  formatDayTime,
  formatPeriod,
  formatReportPeriod,
  integer,
  percent,
  pluralForm,
  wallInZone,
  zoneInWords,
} from '../format.ts';
import { type Dictionary, dictionary, fill, type Language } from '../i18n.ts';
import type { Summary } from '../types.ts';
import { type CallFirstRow, callFirstRow } from './call-first.ts';
import { type FigureRow, figureRows } from './figures.ts';
import { chartHours, type HourBar } from './hours.ts';

export interface EmailInput {
  summary: Summary;
  language: Language;
  /** Where the workbook is: a download link (or a local path in the CLI). */
  link: string;
  /** When the link stops working, ISO instant; omitted for local paths. */
  linkExpiresAt?: string;
  /** How many clients of `missed.call_first` to list before "… and N more" (default 20). */
  callFirstLimit?: number;
  /** Links to the subscription's other periods ("this week", "last month"), shown under the button. */
  quickLinks?: readonly QuickLinkInput[];
}

/** The period rules a quick link may name (http/period-rules.ts), as the dictionary names them. */
export type QuickRule = Exclude<keyof Dictionary['pages']['quick'], 'label'>;

/** A quick link: its period rule and where it goes. */
export interface QuickLinkInput {
  rule: QuickRule;
  href: string;
}

export const DEFAULT_CALL_FIRST_LIMIT = 20;

/** A headline tile: the figure, and beside it what it is made of. Only bad news is coloured. */
export interface Tile {
  label: string;
  value: string;
  notes: string[];
  tone: 'bad' | 'neutral';
}

export interface Model {
  lang: Language;
  dict: Dictionary;
  subject: string;
  title: string;
  timezone: string;
  /** Incoming, missed (in working hours when they are set), not called back. */
  tiles: [Tile, Tile, Tile];
  callFirst: {
    /** Clients in `missed.call_first`. */
    clients: number;
    /** The first `callFirstLimit` of them. */
    shown: CallFirstRow[];
    heading: string;
    more: string | null;
    /** When the list is empty: the reassuring line. */
    calm: string;
  };
  link: { href: string; text: string; label: string; expires: string | null };
  /** The quick links, named: `Другой период:` and `Эта неделя`, …; null when there are none. */
  quick: { label: string; links: Array<{ text: string; href: string }> } | null;
  figures: { rows: FigureRow[]; compared: string | null };
  hours: HourBar[];
  generated: string;
}

/** The `href` of the link: URLs as they are, a local absolute path as `file:`; script schemes never. */
function hrefOf(link: string): string {
  if (/^(javascript|data|vbscript):/i.test(link.trim())) return '#';
  if (link.startsWith('/')) return pathToFileURL(link).href;
  return link;
}

/** The missed calls behind the clients to call (each client's misses in the period). */
export function callFirstMisses(s: Summary): number {
  return s.missed.call_first.reduce((n, x) => n + x.misses, 0);
}

/**
 * The missed-calls tile: all of them, or, when working hours are set, the
 * ones in working hours with the rest beside them (report-metrics.md).
 */
function missedTile(s: Summary, dict: Dictionary, lang: Language): Tile {
  const t = s.totals;
  const tiles = dict.email.tiles;
  if (s.settings.working_hours == null) {
    return {
      label: dict.figures.incoming_missed.label,
      value: integer(t.incoming_missed, lang),
      notes: [fill(tiles.share, { rate: percent(t.missed_rate) })],
      tone: t.incoming_missed > 0 ? 'bad' : 'neutral',
    };
  }
  return {
    label: tiles.missedInHours,
    value: integer(t.incoming_missed_in_hours, lang),
    notes: [
      fill(tiles.share, { rate: percent(t.missed_rate_in_hours) }),
      fill(tiles.outOfHours, { count: integer(t.incoming_missed - t.incoming_missed_in_hours, lang) }),
    ],
    tone: t.incoming_missed_in_hours > 0 ? 'bad' : 'neutral',
  };
}

/** What the email says; `subject` is the one `emailSubject` makes of the same summary. */
export function emailModel(input: EmailInput, subject: string): Model {
  const { summary: s, language: lang } = input;
  const dict = dictionary(lang);
  const e = dict.email;
  const int = (n: number) => integer(n, lang);
  const limit = Math.max(0, Math.floor(input.callFirstLimit ?? DEFAULT_CALL_FIRST_LIMIT));
  const entries = s.missed.call_first;
  const oneDay = s.period.from === s.period.till;
  const shown = entries.slice(0, limit).map((x) => callFirstRow(x, oneDay, dict, lang));
  const rest = entries.length - shown.length;
  const calls = callFirstMisses(s);
  const heading =
    fill(e.unreturnedTitle, { numbers: countOf(entries.length, e.nouns.numbers, lang) }) +
    (calls > entries.length ? ` (${countOf(calls, e.nouns.missedCalls, lang)})` : '');
  const expires = dayInZone(input.linkExpiresAt, s.period.timezone);
  const generatedWall = wallInZone(s.generated_at, s.period.timezone);
  return {
    lang,
    dict,
    subject,
    title: fill(e.title, { period: formatReportPeriod(s.period, dict, lang) }),
    timezone: fill(e.timezone, { zone: zoneInWords(s.period.timezone, dict) }),
    tiles: [
      { label: dict.figures.incoming.label, value: int(s.totals.incoming), notes: [], tone: 'neutral' },
      missedTile(s, dict, lang),
      {
        label: dict.missedFigures.unreturned.label,
        value: int(entries.length),
        notes: entries.length > 0 ? [countOf(calls, e.nouns.missedCalls, lang)] : [],
        tone: entries.length > 0 ? 'bad' : 'neutral',
      },
    ],
    callFirst: {
      clients: entries.length,
      shown,
      heading,
      more: rest > 0 ? fill(e.more, { n: int(rest), noun: pluralForm(rest, e.nouns.numbers, lang) }) : null,
      calm: s.missed.total === 0 ? e.noMissed : e.allCalledBack,
    },
    link: {
      href: hrefOf(input.link),
      text: input.link,
      label: e.download,
      expires: expires ? fill(e.linkExpires, { date: formatDay(expires, lang) }) : null,
    },
    quick: input.quickLinks?.length
      ? {
          label: dict.pages.quick.label,
          links: input.quickLinks.map((q) => ({ text: dict.pages.quick[q.rule], href: hrefOf(q.href) })),
        }
      : null,
    figures: {
      rows: figureRows(s, dict, lang),
      compared: s.previous
        ? fill(e.comparedWith, { period: formatPeriod(s.previous.period, dict, lang) })
        : null,
    },
    hours: chartHours(s),
    generated: generatedWall === null ? '' : fill(e.generatedAt, { at: formatDayTime(generatedWall, lang) }),
  };
}
