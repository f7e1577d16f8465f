/** "Missed calls": one row per missed call and what became of it; unreturned ones filled light red, the outcome in bold. */
import { cellText, dateOrNull, durationOrNull, excelDate, joined } from '../xlsx/values.ts';
import { tableSpec } from './table-spec.ts';

export const MISSED_SHEET = tableSpec({
  sheet: 'missed',
  headers: 'missed',
  rows: ({ missed }) => missed,
  xml: true,
  alarm: { when: (r) => r.outcome === 'unreturned', strong: 'outcome' },
  columns: [
    { header: 'time', kind: 'datetime', value: (r) => excelDate(r.call.start) },
    { header: 'client', kind: 'text', value: (r) => cellText(r.call.contactNumber) },
    { header: 'line', kind: 'text', value: (r) => cellText(r.call.virtualNumber) },
    { header: 'lineComment', kind: 'text', value: (r) => cellText(r.call.virtualNumberComment) },
    { header: 'employees', kind: 'text', value: (r) => joined(r.call.employees) },
    { header: 'waited', kind: 'duration', value: (r) => durationOrNull(r.call.totalSeconds) },
    { header: 'finishReason', kind: 'text', value: (r) => cellText(r.call.finishReason?.label) },
    { header: 'timesMissed', kind: 'count', value: (r) => r.times_missed_in_period },
    { header: 'outcome', kind: 'text', value: (r, dict) => dict.outcomes[r.outcome] },
    { header: 'callbackTime', kind: 'datetime', value: (r) => dateOrNull(r.resolved_by?.start) },
    { header: 'delay', kind: 'duration', value: (r) => durationOrNull(r.delay_seconds) },
    { header: 'callbackEmployee', kind: 'text', value: (r) => cellText(r.callback_employee) },
    { header: 'attempts', kind: 'count', value: (r) => r.attempts },
    { header: 'callId', kind: 'id', value: (r) => r.call.id },
  ],
});
