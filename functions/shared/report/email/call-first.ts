/**
 * The clients to call, as the email lists them: `missed.call_first` in its own
 * order (report-metrics.md, "Call these first": unreturned before callback
 * failed, then more misses first), each with the time of its latest miss, its
 * number for reading and as a `tel:` link, and what a manager wants to know
 * before dialling (how often it called, on which line, whom it rang, whether
 * we already tried).
 */
import { formattedPhone } from '../../calls/phone.ts';
import { parseWall } from '../../time.ts';
import { clock, countOf, formatDay, shortList, telUri } from '../format.ts';
import { type Dictionary, fill, type Language } from '../i18n.ts';
import type { CallFirstEntry } from '../types.ts';

/** One client of the list, ready to lay out. */
export interface CallFirstRow {
  /** The latest miss: its date (null when the report covers one day) and `HH:MM`. */
  day: string | null;
  time: string;
  /** The number for reading (`formatted`). */
  number: string;
  /** `tel:+7…`, or null when the number is not one a phone can dial as it is. */
  tel: string | null;
  outcome: CallFirstEntry['outcome'];
  /** Callback failed: how often we tried (`перезванивали 2 раза, не дозвонились`); else null. */
  failed: string | null;
  /** Line, how often and since when it called, whom it rang. */
  details: string[];
}

/** `HH:MM`, with the date when the period has several days, of a local `YYYY-MM-DD hh:mm:ss`. */
function when(local: string, oneDay: boolean, lang: Language): { day: string | null; time: string } {
  const wall = parseWall(local);
  const time = wall === null ? local.slice(11, 16) : clock(wall);
  return { day: oneDay ? null : formatDay(local.slice(0, 10), lang), time };
}

export function callFirstRow(
  x: CallFirstEntry,
  oneDay: boolean,
  dict: Dictionary,
  lang: Language,
): CallFirstRow {
  const e = dict.email;
  const first = when(x.first_missed_at, oneDay, lang);
  const times = countOf(x.misses, e.nouns.times, lang);
  // A line is named by its comment, else its number written for reading.
  const line = x.line_comment ?? formattedPhone(x.line) ?? '';
  return {
    ...when(x.last_missed_at, oneDay, lang),
    number: x.formatted,
    tel: telUri(x.number),
    outcome: x.outcome,
    failed:
      x.outcome === 'callback_failed'
        ? x.attempts > 0
          ? fill(e.callbackFailed, { times: countOf(x.attempts, e.nouns.times, lang) })
          : dict.outcomes.callback_failed
        : null,
    details: [
      ...(line ? [line] : []),
      ...(x.misses > 1
        ? [
            fill(e.calledTimesSince, {
              times,
              at: first.day === null ? first.time : `${first.day} ${first.time}`,
            }),
          ]
        : []),
      ...(x.employees.length ? [fill(e.rangFor, { names: shortList(x.employees) })] : []),
    ],
  };
}
