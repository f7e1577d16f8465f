/** Column widths (in characters) fitted to the header, which may wrap onto two lines, and to the values. */
import type { ColumnSpec, Kind, TableRow, Value } from './types.ts';

const MAX_WIDTH = 60;
const MIN_WIDTH = 6;

/** Width (characters) a value of this kind takes when shown; null when it depends on the value. */
const SHOWN_WIDTH: Record<Kind, number | null> = {
  text: null,
  link: null,
  id: null,
  count: null,
  number: null,
  date: 10,
  datetime: 19,
  minute: 16,
  duration: 9,
  rate: 6,
  change: 12,
};

export function shownWidth(value: Value, kind: Kind): number {
  if (value == null) return 0;
  const fixed = SHOWN_WIDTH[kind];
  if (fixed !== null) return fixed;
  if (typeof value === 'object') return value.result.length;
  if (typeof value === 'number') {
    const digits = String(Math.round(value)).length;
    return kind === 'count' ? digits + Math.floor((digits - 1) / 3) : String(value).length;
  }
  let longest = 0;
  for (const line of value.split('\n')) longest = Math.max(longest, line.length);
  return longest;
}

/** The narrowest width (at least 12) at which a header wraps onto no more than two lines. */
export function headerWidth(header: string): number {
  const longestWord = Math.max(...header.split(/\s+/).map((w) => w.length));
  let width = Math.min(header.length, Math.max(longestWord, 12));
  while (width < header.length && headerLines(header, width + 2) > 2) width++;
  return width;
}

/** Lines a header takes when wrapped greedily at `width` characters. */
export function headerLines(header: string, width: number): number {
  const room = Math.max(1, width - 1);
  let lines = 1;
  let used = 0;
  for (const word of header.split(/\s+/)) {
    const need = used === 0 ? word.length : used + 1 + word.length;
    if (need <= room || used === 0) used = need;
    else {
      lines++;
      used = word.length;
    }
  }
  return lines;
}

/** Column widths fitted to the header (which may wrap) and to the rows given; capped; a fixed `width` wins. */
export function measureWidths(columns: readonly ColumnSpec[], sample: Iterable<TableRow>): number[] {
  const widths = columns.map((c) => headerWidth(c.header));
  for (const { values, kinds } of sample) {
    for (let i = 0; i < columns.length; i++) {
      const w = shownWidth(values[i], kinds?.[i] ?? (columns[i] as ColumnSpec).kind);
      if (w > (widths[i] as number)) widths[i] = w;
    }
  }
  return widths.map((w, i) => {
    const column = columns[i] as ColumnSpec;
    return column.width ?? Math.max(MIN_WIDTH, Math.min(column.maxWidth ?? MAX_WIDTH, w + 2));
  });
}
