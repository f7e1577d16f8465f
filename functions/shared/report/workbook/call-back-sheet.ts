/**
 * "Call back" (the first sheet): `missed.call_first` in its order, one row per
 * client to call, the number a `tel:` link (a HYPERLINK formula: Excel,
 * LibreOffice and Gnumeric all open it), the outcome in words: not called
 * back in red, called back without an answer in amber. Narrow enough (at most
 * 180 characters of columns) to read on a laptop without scrolling sideways.
 */
import { parseWall } from '../../time.ts';
import { telUri } from '../format.ts';
import type { CallFirstEntry } from '../types.ts';
import type { Formula, Value } from '../xlsx/types.ts';
import { cellText, dateOrNull, durationOrNull, joined } from '../xlsx/values.ts';
import { tableSpec } from './table-spec.ts';

/** A text as a formula's string literal. */
const literal = (s: string): string => `"${s.replace(/"/g, '""')}"`;

/** The client's number to read, linked to dial it when it has a country code; plain text otherwise. */
export function dialLink(entry: Pick<CallFirstEntry, 'number' | 'formatted'>): Value {
  const uri = telUri(entry.number);
  if (uri === null) return cellText(entry.formatted);
  const link: Formula = {
    formula: `HYPERLINK(${literal(uri)},${literal(entry.formatted)})`,
    result: entry.formatted,
  };
  return link;
}

export const CALL_BACK_SHEET = tableSpec({
  sheet: 'callBack',
  headers: 'callBack',
  rows: ({ summary }) => summary.missed.call_first,
  tone: { of: (r) => (r.outcome === 'unreturned' ? 'bad' : 'warn'), strong: 'outcome' },
  columns: [
    { header: 'number', kind: 'link', value: (r) => dialLink(r), maxWidth: 20 },
    { header: 'outcome', kind: 'text', value: (r, dict) => dict.outcomes[r.outcome], maxWidth: 23 },
    { header: 'misses', kind: 'count', value: (r) => r.misses, maxWidth: 12 },
    { header: 'firstMissed', kind: 'minute', value: (r) => dateOrNull(parseWall(r.first_missed_at)) },
    { header: 'lastMissed', kind: 'minute', value: (r) => dateOrNull(parseWall(r.last_missed_at)) },
    { header: 'longestRing', kind: 'duration', value: (r) => durationOrNull(r.longest_ring_seconds) },
    { header: 'attempts', kind: 'count', value: (r) => r.attempts, maxWidth: 12 },
    { header: 'line', kind: 'text', value: (r) => cellText(r.line), maxWidth: 14 },
    { header: 'lineComment', kind: 'text', value: (r) => cellText(r.line_comment), maxWidth: 22 },
    { header: 'employees', kind: 'text', value: (r) => joined(r.employees), maxWidth: 30 },
  ],
});
