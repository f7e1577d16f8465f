/**
 * The figures' tables: per employee (the calls that reached nobody last, in
 * grey), per hour of the day (hours without calls blank, hours the team did
 * not work in grey; a colour scale on the missed rate), per line.
 */
import { NO_EMPLOYEE } from '../figures/employees.ts';
import type { EmployeeFigures, HourFigures } from '../types.ts';
import { cellText, durationOrNull, excelDuration } from '../xlsx/values.ts';
import { openHours } from './open-hours.ts';
import { tableSpec } from './table-spec.ts';

function hourLabel(hour: number): string {
  const hh = String(hour).padStart(2, '0');
  return `${hh}:00–${hh}:59`;
}

/** A count, blank on a row that has nothing to count. */
const countOr = (n: number, any: boolean): number | null => (any ? n : null);
/** A rate over `of` calls: blank over none (never a green 0 %). */
const rateOver = (rate: number | null, of: number): number | null => (of > 0 ? rate : null);

/** The employees in the figures' order, with the calls that reached nobody last whatever their count. */
function employeeRows(employees: readonly EmployeeFigures[]): EmployeeFigures[] {
  return [
    ...employees.filter((e) => e.name !== NO_EMPLOYEE),
    ...employees.filter((e) => e.name === NO_EMPLOYEE),
  ];
}

export const EMPLOYEES_SHEET = tableSpec({
  sheet: 'employees',
  headers: 'employees',
  rows: ({ summary }) => employeeRows(summary.employees),
  tone: { of: (x) => (x.name === NO_EMPLOYEE ? 'muted' : null) },
  columns: [
    // NO_EMPLOYEE: the figures' name for calls that rang no one (IVR, queue, closed line).
    {
      header: 'name',
      kind: 'text',
      value: (x, dict) => (x.name === NO_EMPLOYEE ? dict.workbook.reachedNobody : x.name),
    },
    { header: 'missed', kind: 'count', value: (x) => x.missed },
    { header: 'unreturned', kind: 'count', value: (x) => x.unreturned },
    { header: 'incomingAnswered', kind: 'count', value: (x) => x.incoming_answered },
    { header: 'outgoing', kind: 'count', value: (x) => x.outgoing },
    { header: 'outgoingAnswered', kind: 'count', value: (x) => x.outgoing_answered },
    { header: 'callbacks', kind: 'count', value: (x) => x.callbacks },
    { header: 'talk', kind: 'duration', value: (x) => excelDuration(x.talk_seconds) },
    { header: 'avgTalk', kind: 'duration', value: (x) => durationOrNull(x.avg_talk_seconds) },
    { header: 'avgWait', kind: 'duration', value: (x) => durationOrNull(x.avg_wait_seconds) },
  ],
});

interface HourRow extends HourFigures {
  /** Any call in the hour. */
  any: boolean;
  /** The team worked no minute of this hour in the period (working hours set). */
  closed: boolean;
}

export const HOURS_SHEET = tableSpec({
  sheet: 'hours',
  headers: 'hours',
  rows: ({ summary }): HourRow[] => {
    const open = openHours(summary);
    return [...summary.hours]
      .sort((a, b) => a.hour - b.hour)
      .map((x) => ({ ...x, any: x.incoming + x.outgoing > 0, closed: open[x.hour] === false }));
  },
  colourScale: 'missedRate',
  tone: { of: (x) => (x.closed ? 'muted' : null) },
  columns: [
    { header: 'hour', kind: 'text', value: (x) => hourLabel(x.hour) },
    { header: 'incoming', kind: 'count', value: (x) => countOr(x.incoming, x.any) },
    { header: 'missed', kind: 'count', value: (x) => countOr(x.incoming_missed, x.any) },
    { header: 'missedRate', kind: 'rate', value: (x) => rateOver(x.missed_rate, x.incoming) },
    { header: 'outgoing', kind: 'count', value: (x) => countOr(x.outgoing, x.any) },
  ],
});

export const LINES_SHEET = tableSpec({
  sheet: 'lines',
  headers: 'lines',
  rows: ({ summary }) => summary.lines,
  colourScale: 'missedRate',
  columns: [
    { header: 'number', kind: 'text', value: (x) => cellText(x.virtual_phone_number) },
    { header: 'comment', kind: 'text', value: (x) => cellText(x.virtual_number_comment), maxWidth: 40 },
    { header: 'incoming', kind: 'count', value: (x) => x.incoming },
    { header: 'missed', kind: 'count', value: (x) => x.incoming_missed },
    { header: 'missedRate', kind: 'rate', value: (x) => rateOver(x.missed_rate, x.incoming) },
    { header: 'unreturned', kind: 'count', value: (x) => x.unreturned },
  ],
});
