/**
 * The numbers nobody called back, one entry per number (its unreturned missed
 * calls grouped), the one who has waited longest first.
 */
import type { Period } from '../../time.ts';
import { clock, countOf, formatDayTime, shortList } from '../format.ts';
import { type Dictionary, fill, type Language } from '../i18n.ts';
import type { MissedCallResolution } from '../types.ts';

/** One unreturned client: all unreturned missed calls from one number. */
export interface UnreturnedEntry {
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

export function unreturnedEntries(
  period: Period,
  missed: readonly MissedCallResolution[],
  dict: Dictionary,
  lang: Language,
): UnreturnedEntry[] {
  const oneDay = period.from === period.till;
  const groups = new Map<string, MissedCallResolution[]>();
  for (const r of missed) {
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
      when: oneDay ? clock(c.start) : formatDayTime(c.start, lang),
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

/** What follows an unreturned number: its line, how often it called, whom it rang for. */
export function entryDetails(u: UnreturnedEntry, dict: Dictionary, lang: Language): string[] {
  const e = dict.email;
  return [
    ...(u.line ? [u.line] : []),
    ...(u.times > 1 ? [fill(e.calledTimes, { times: countOf(u.times, e.nouns.times, lang) })] : []),
    ...(u.rangFor.length ? [fill(e.rangFor, { names: shortList(u.rangFor) })] : []),
  ];
}
