/** The figures' tables: per employee, per hour of the day (with a colour scale on the missed rate), per line. */
import { NO_EMPLOYEE } from '../figures/employees.ts';
import { cellText, durationOrNull, excelDuration } from '../xlsx/values.ts';
import { tableSpec } from './table-spec.ts';

function hourLabel(hour: number): string {
  const hh = String(hour).padStart(2, '0');
  return `${hh}:00–${hh}:59`;
}

export const EMPLOYEES_SHEET = tableSpec({
  sheet: 'employees',
  headers: 'employees',
  rows: ({ summary }) => summary.employees,
  columns: [
    // NO_EMPLOYEE: the figures' name for calls that no employee took.
    {
      header: 'name',
      kind: 'text',
      value: (x, dict) => (x.name === NO_EMPLOYEE ? dict.words.noEmployee : x.name),
    },
    { header: 'incomingAnswered', kind: 'count', value: (x) => x.incoming_answered },
    { header: 'outgoing', kind: 'count', value: (x) => x.outgoing },
    { header: 'outgoingAnswered', kind: 'count', value: (x) => x.outgoing_answered },
    { header: 'missed', kind: 'count', value: (x) => x.missed },
    { header: 'talk', kind: 'duration', value: (x) => excelDuration(x.talk_seconds) },
    { header: 'avgTalk', kind: 'duration', value: (x) => durationOrNull(x.avg_talk_seconds) },
    { header: 'avgWait', kind: 'duration', value: (x) => durationOrNull(x.avg_wait_seconds) },
    { header: 'callbacks', kind: 'count', value: (x) => x.callbacks },
  ],
});

export const HOURS_SHEET = tableSpec({
  sheet: 'hours',
  headers: 'hours',
  rows: ({ summary }) => [...summary.hours].sort((a, b) => a.hour - b.hour),
  colourScale: 'missedRate',
  columns: [
    { header: 'hour', kind: 'text', value: (x) => hourLabel(x.hour) },
    { header: 'incoming', kind: 'count', value: (x) => x.incoming },
    { header: 'missed', kind: 'count', value: (x) => x.incoming_missed },
    { header: 'missedRate', kind: 'rate', value: (x) => x.missed_rate },
    { header: 'outgoing', kind: 'count', value: (x) => x.outgoing },
  ],
});

export const LINES_SHEET = tableSpec({
  sheet: 'lines',
  headers: 'lines',
  rows: ({ summary }) => summary.lines,
  colourScale: 'missedRate',
  columns: [
    { header: 'number', kind: 'text', value: (x) => cellText(x.virtual_phone_number) },
    { header: 'comment', kind: 'text', value: (x) => cellText(x.virtual_number_comment) },
    { header: 'incoming', kind: 'count', value: (x) => x.incoming },
    { header: 'missed', kind: 'count', value: (x) => x.incoming_missed },
    { header: 'missedRate', kind: 'rate', value: (x) => x.missed_rate },
    { header: 'unreturned', kind: 'count', value: (x) => x.unreturned },
  ],
});
