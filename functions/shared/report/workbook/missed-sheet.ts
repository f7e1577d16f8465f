/**
 * "Missed calls": one row per missed call and what became of it, the outcome
 * and the callback beside the time and the number; unreturned ones filled
 * light red, callbacks nobody answered amber, the outcome in bold. The time
 * column stays in sight when scrolling right. The number is written for
 * reading (`+7 495 123-45-67`); "All calls" keeps the API's own form.
 */
import { formattedPhone } from '../../calls/phone.ts';
import { cellText, dateOrNull, durationOrNull, excelDate, joined } from '../xlsx/values.ts';
import { tableSpec } from './table-spec.ts';
import { apiWord, wordsById } from './vocabulary.ts';

export const MISSED_SHEET = tableSpec({
  sheet: 'missed',
  headers: 'missed',
  rows: ({ missed }) => missed,
  xml: true,
  freezeColumns: 1,
  tone: {
    of: (r) => (r.outcome === 'unreturned' ? 'bad' : r.outcome === 'callback_failed' ? 'warn' : null),
    strong: 'outcome',
    whole: true,
  },
  columns: [
    { header: 'time', kind: 'datetime', value: (r) => excelDate(r.call.start) },
    {
      header: 'client',
      kind: 'text',
      value: (r) => cellText(formattedPhone(r.call.contactNumber, r.call.contactNormal)),
    },
    { header: 'outcome', kind: 'text', value: (r, dict) => dict.outcomes[r.outcome] },
    { header: 'callbackTime', kind: 'datetime', value: (r) => dateOrNull(r.resolved_by?.start) },
    { header: 'delay', kind: 'duration', value: (r) => durationOrNull(r.delay_seconds) },
    { header: 'callbackEmployee', kind: 'text', value: (r) => cellText(r.callback_employee), maxWidth: 30 },
    { header: 'attempts', kind: 'count', value: (r) => r.attempts },
    { header: 'timesMissed', kind: 'count', value: (r) => r.times_missed_in_period },
    { header: 'waited', kind: 'duration', value: (r) => durationOrNull(r.call.totalSeconds) },
    { header: 'line', kind: 'text', value: (r) => cellText(r.call.virtualNumber) },
    {
      header: 'lineComment',
      kind: 'text',
      value: (r) => cellText(r.call.virtualNumberComment),
      maxWidth: 30,
    },
    { header: 'employees', kind: 'text', value: (r) => joined(r.call.employees), maxWidth: 40 },
    {
      header: 'finishReason',
      kind: 'text',
      value: (r, dict) => apiWord(r.call.finishReason, wordsById(dict.workbook.finishReasons)),
    },
    { header: 'callId', kind: 'id', value: (r) => r.call.id },
  ],
});
