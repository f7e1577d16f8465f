/**
 * Values as Excel holds them. Dates are serial numbers with a date format,
 * which is exactly what exceljs writes for a Date (no Date object per cell).
 */

/** Excel's limit on the text of one cell. */
const MAX_CELL_TEXT = 32_767;

/** A wall instant (ms "as if UTC") as an Excel serial date, computed as exceljs does for a Date. */
export function excelDate(wallMs: number): number {
  return wallMs / 24 / 3600 / 1000 + 25569;
}

/** Seconds as a fraction of a day, for the `[h]:mm:ss` format. */
export function excelDuration(seconds: number): number {
  return seconds / 86400;
}

export function dateOrNull(wallMs: number | null | undefined): number | null {
  return wallMs == null ? null : excelDate(wallMs);
}

export function durationOrNull(seconds: number | null | undefined): number | null {
  return seconds == null ? null : excelDuration(seconds);
}

/** A text cell: null when empty, cut to the most a cell holds. */
export function cellText(s: string | null | undefined): string | null {
  if (s == null || s === '') return null;
  return s.length > MAX_CELL_TEXT ? s.slice(0, MAX_CELL_TEXT) : s;
}

/** A list in one text cell, comma separated; null when empty. */
export function joined(list: readonly string[]): string | null {
  return list.length === 0 ? null : cellText(list.join(', '));
}
