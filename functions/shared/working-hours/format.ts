/**
 * The normal text form of working hours (docs/metrics.md, `settings.working_hours`):
 * days with the same ranges grouped, the groups in weekday order of their first
 * day; `a-b` for a run of two or more consecutive days and `a,b` otherwise
 * (`mon,wed-fri`, `sat-sun`); each day's ranges merged, sorted, as `HH:MM-HH:MM`
 * joined by `, `; parts joined by `; `; `closed` last with its dates sorted and
 * merged, `a..b` for a run of two or more days. Days without work are not
 * written. Hours that are open every day around the clock are written so
 * (`mon-sun 00:00-24:00; closed 2026-01-01`), which is what `closed 2026-01-01`
 * alone means. parseWorkingHours reads the result back to the same value.
 */
import { DAY_MS, formatWallDate } from '../time.ts';
import { WEEKDAYS, type WorkingHours } from './parse.ts';

/** The normal text form; `null` for no working hours. */
export function formatWorkingHours(hours: WorkingHours | null): string | null {
  if (hours === null) return null;
  const texts = hours.week.map(rangesText);
  const parts: string[] = [];
  const done = new Set<number>();
  texts.forEach((text, day) => {
    if (done.has(day) || text === '') return;
    const group: number[] = [];
    texts.forEach((other, d) => {
      if (other === text && !done.has(d)) {
        group.push(d);
        done.add(d);
      }
    });
    parts.push(`${dayList(group)} ${text}`);
  });
  if (hours.closed.length > 0) parts.push(`closed ${closedText(hours.closed)}`);
  return parts.join('; ');
}

/** `09:00-13:00, 14:00-18:00` from a flat minute list. */
function rangesText(ranges: readonly number[]): string {
  const out: string[] = [];
  for (let i = 0; i < ranges.length; i += 2)
    out.push(`${clock(ranges[i] as number)}-${clock(ranges[i + 1] as number)}`);
  return out.join(', ');
}

function clock(minutes: number): string {
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${pad(Math.floor(minutes / 60))}:${pad(minutes % 60)}`;
}

/** Ascending weekdays as `a-b` for a run of two or more, a day alone otherwise, joined by `,`. */
function dayList(sorted: readonly number[]): string {
  const out: string[] = [];
  for (let i = 0; i < sorted.length; ) {
    let j = i;
    while (j + 1 < sorted.length && (sorted[j + 1] as number) === (sorted[j] as number) + 1) j++;
    const a = WEEKDAYS[sorted[i] as number] as string;
    out.push(j > i ? `${a}-${WEEKDAYS[sorted[j] as number]}` : a);
    i = j + 1;
  }
  return out.join(',');
}

/** `2026-01-01..2026-01-08, 2026-03-09` from flat merged day runs. */
function closedText(closed: readonly number[]): string {
  const out: string[] = [];
  for (let i = 0; i < closed.length; i += 2) {
    const first = formatWallDate((closed[i] as number) * DAY_MS);
    const last = formatWallDate((closed[i + 1] as number) * DAY_MS);
    out.push(first === last ? first : `${first}..${last}`);
  }
  return out.join(', ');
}
