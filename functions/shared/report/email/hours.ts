/** Calls by hour for the email's bar chart, and how one bar splits into its coloured parts. */
import { hourLabel } from '../format.ts';
import type { Summary } from '../types.ts';

export interface HourBar {
  hour: number;
  label: string;
  incoming: number;
  missed: number;
  outgoing: number;
}

/** From the first hour with calls to the last (gaps inside stay visible); empty when no calls. */
export function chartHours(s: Summary): HourBar[] {
  const byHour = new Map(s.hours.map((h) => [h.hour, h]));
  const active = s.hours.filter((h) => h.incoming + h.outgoing > 0).map((h) => h.hour);
  if (active.length === 0) return [];
  const first = Math.min(...active);
  const last = Math.max(...active);
  const bars: HourBar[] = [];
  for (let hour = first; hour <= last; hour++) {
    const h = byHour.get(hour);
    bars.push({
      hour,
      label: hourLabel(hour),
      incoming: h?.incoming ?? 0,
      missed: h?.incoming_missed ?? 0,
      outgoing: h?.outgoing ?? 0,
    });
  }
  return bars;
}

/** Whole percentages of `values` that add up to exactly 100 (largest remainder); a nonzero value gets at least 1. */
export function splitPercent(values: readonly number[]): number[] {
  const total = values.reduce((a, b) => a + b, 0);
  if (total === 0) return values.map(() => 0);
  const exact = values.map((v) => (v * 100) / total);
  const parts = exact.map((x) => Math.floor(x));
  let left = 100 - parts.reduce((a, b) => a + b, 0);
  const byRemainder = exact.map((x, i) => ({ i, r: x - Math.floor(x) })).sort((a, b) => b.r - a.r);
  for (const { i } of byRemainder) {
    if (left <= 0) break;
    parts[i] = (parts[i] ?? 0) + 1;
    left--;
  }
  // Keep a small nonzero value visible: 1% taken from the largest part.
  values.forEach((v, i) => {
    if (v > 0 && parts[i] === 0) {
      const largest = parts.indexOf(Math.max(...parts));
      parts[largest] = (parts[largest] ?? 0) - 1;
      parts[i] = 1;
    }
  });
  return parts;
}
