/**
 * The email's model: what the manager's email says, made from a summary and
 * its missed calls, before any HTML or text. The renderers (`html.ts`,
 * `text.ts`) only lay it out. Words come from `i18n.ts`, forms from `format.ts`.
 */
import { pathToFileURL } from 'node:url';
import {
  countOf,
  dayInZone,
  formatDay,
  formatDayTime,
  formatPeriod,
  integer,
  percent,
  pluralForm,
  wallInZone,
} from '../format.ts';
import { type Dictionary, dictionary, fill, type Language } from '../i18n.ts';
import type { MissedCallResolution, Summary } from '../types.ts';
import { type FigureRow, figureRows, type Tone } from './figures.ts';
import { chartHours, type HourBar } from './hours.ts';
import { type UnreturnedEntry, unreturnedEntries } from './unreturned.ts';

export interface EmailInput {
  summary: Summary;
  missed: readonly MissedCallResolution[];
  language: Language;
  /** Where the workbook is: a download link (or a local path in the CLI). */
  link: string;
  /** When the link stops working, ISO instant; omitted for local paths. */
  linkExpiresAt?: string;
  /** How many unreturned numbers to list before "… and N more" (default 10). */
  unreturnedLimit?: number;
}

export const DEFAULT_UNRETURNED_LIMIT = 10;

export interface Model {
  lang: Language;
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

/** The `href` of the link: URLs as they are, a local absolute path as `file:`; script schemes never. */
function hrefOf(link: string): string {
  if (/^(javascript|data|vbscript):/i.test(link.trim())) return '#';
  if (link.startsWith('/')) return pathToFileURL(link).href;
  return link;
}

/** What the email says; `subject` is the one `emailSubject` makes of the same summary. */
export function emailModel(input: EmailInput, subject: string): Model {
  const { summary: s, language: lang } = input;
  const dict = dictionary(lang);
  const e = dict.email;
  const int = (n: number) => integer(n, lang);
  const limit = Math.max(0, Math.floor(input.unreturnedLimit ?? DEFAULT_UNRETURNED_LIMIT));
  const entries = unreturnedEntries(s.period, input.missed, dict, lang);
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
        ? fill(e.allCalledBackFailed, { count: int(s.missed.callback_failed) })
        : e.allCalledBack;
  const expires = dayInZone(input.linkExpiresAt, s.period.timezone);
  const generatedWall = wallInZone(s.generated_at, s.period.timezone);
  return {
    lang,
    dict,
    subject,
    title: fill(e.title, { period: formatPeriod(s.period, dict, lang) }),
    timezone: fill(e.timezone, { zone: s.period.timezone }),
    kpis: [
      { label: dict.figures.incoming.label, value: int(s.totals.incoming), tone: 'neutral' },
      {
        label: dict.figures.incoming_missed.label,
        value: `${int(s.totals.incoming_missed)} (${percent(s.totals.missed_rate)})`,
        tone: s.totals.incoming_missed > 0 ? 'bad' : 'neutral',
      },
      {
        label: dict.missedFigures.unreturned.label,
        value: int(s.missed.unreturned),
        tone: s.missed.unreturned > 0 ? 'bad' : 'good',
      },
    ],
    unreturned: {
      entries,
      shown,
      heading,
      more: rest > 0 ? fill(e.more, { n: int(rest), noun: pluralForm(rest, e.nouns.numbers, lang) }) : null,
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
        ? fill(e.comparedWith, { period: formatPeriod(s.previous.period, dict, lang) })
        : null,
    },
    hours: chartHours(s),
    generated: generatedWall === null ? '' : fill(e.generatedAt, { at: formatDayTime(generatedWall, lang) }),
  };
}
