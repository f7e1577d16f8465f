/**
 * Clients of `missed.call_first` for the tests of what shows the list (the
 * email, its pictures): client `i` is `+7 495 111-xx-xx` (1 110 000 + i) with
 * one unreturned miss on 2024-10-21 (09:0i for the first ones), on the advertising line, having rung Иванов Иван.
 */
import type { CallFirstEntry, Summary } from '../../functions/shared/report/types.ts';
import { makeSummary } from './summaries.ts';

export function client(i: number, over: Partial<CallFirstEntry> = {}): CallFirstEntry {
  const digits = String(1_110_000 + i);
  const hour = String(9 + (Math.floor(i / 60) % 14)).padStart(2, '0');
  const at = `2024-10-21 ${hour}:${String(i % 60).padStart(2, '0')}:00`;
  const formatted = `+7 495 ${digits.slice(0, 3)}-${digits.slice(3, 5)}-${digits.slice(5)}`;
  return {
    number: `7495${digits}`,
    display: formatted,
    formatted,
    outcome: 'unreturned',
    misses: 1,
    first_missed_at: at,
    last_missed_at: at,
    longest_ring_seconds: 20,
    attempts: 0,
    line: '74950000000',
    line_comment: 'Реклама в Яндексе',
    employees: ['Иванов Иван'],
    ...over,
  };
}

/** Clients 1..n, each with one unreturned miss. */
export function clients(n: number): CallFirstEntry[] {
  return Array.from({ length: n }, (_, i) => client(i + 1));
}

/** makeSummary's day with these clients to call (and `over` on top). */
export function withClients(entries: CallFirstEntry[], over: Partial<Summary> = {}): Summary {
  const base = makeSummary(over);
  return { ...base, missed: { ...base.missed, call_first: entries } };
}
