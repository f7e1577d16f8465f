/**
 * The two sheets of a report of several days: "Days", one row per date of the
 * period (the missed rate on a colour scale), and "Weekdays and hours", the
 * picture a manager staffs by: weekdays down, hours across, each cell the
 * missed rate of that weekday's hour over the period on a green-to-red scale;
 * a cell with no incoming calls is blank (no colour), never a green 0 %.
 */
import { parseWall } from '../../time.ts';
import { WEEKDAYS } from '../../working-hours/parse.ts';
import type { Dictionary } from '../i18n.ts';
import type { DayFigures, Summary, WeekHourFigures } from '../types.ts';
import type { XlsxBook } from '../xlsx/book.ts';
import { withNumFmt } from '../xlsx/styles.ts';
import type { ColumnSpec, TableRow, Value } from '../xlsx/types.ts';
import { dateOrNull, durationOrNull } from '../xlsx/values.ts';
import { tableSpec } from './table-spec.ts';

/** The weekday's word of a `YYYY-MM-DD` (Monday first, as WEEKDAYS). */
function weekdayOf(date: string, dict: Dictionary): string | null {
  const wall = parseWall(date);
  if (wall === null) return null;
  const day = (new Date(wall).getUTCDay() + 6) % 7;
  return dict.workbook.weekdays[WEEKDAYS[day] as (typeof WEEKDAYS)[number]];
}

export const DAYS_SHEET = tableSpec({
  sheet: 'days',
  headers: 'days',
  rows: ({ summary }): readonly DayFigures[] => summary.days,
  colourScale: 'missedRate',
  columns: [
    { header: 'date', kind: 'date', value: (d) => dateOrNull(parseWall(d.date)) },
    { header: 'weekday', kind: 'text', value: (d, dict) => weekdayOf(d.date, dict) },
    { header: 'incoming', kind: 'count', value: (d) => d.incoming },
    { header: 'missed', kind: 'count', value: (d) => d.incoming_missed },
    { header: 'missedRate', kind: 'rate', value: (d) => (d.incoming > 0 ? d.missed_rate : null) },
    { header: 'unreturned', kind: 'count', value: (d) => d.unreturned },
    { header: 'outgoing', kind: 'count', value: (d) => d.outgoing },
    { header: 'avgWait', kind: 'duration', value: (d) => durationOrNull(d.avg_wait_seconds) },
    { header: 'slaRate', kind: 'rate', value: (d) => (d.incoming > 0 ? d.sla_rate : null) },
  ],
});

/** Width of an hour's column: `100%` and a margin. */
const HOUR_WIDTH = 5.5;

/** Writes "Weekdays and hours" from `week_hours` (7 × 24 cells). */
export async function writeWeekHoursSheet(
  book: XlsxBook,
  cells: readonly WeekHourFigures[],
  dict: Dictionary,
): Promise<void> {
  const columns: ColumnSpec[] = [
    { header: dict.columns.weekHours.weekday, kind: 'text' },
    ...Array.from(
      { length: 24 },
      (_, h): ColumnSpec => ({
        header: String(h).padStart(2, '0'),
        kind: 'rate',
        width: HOUR_WIDTH,
      }),
    ),
  ];
  const percent = withNumFmt(book.styles.plain.rate, '0%');
  const styles = [book.styles.plain.text, ...Array.from({ length: 24 }, () => percent)];
  const rows: TableRow[] = WEEKDAYS.map((name, i) => {
    const values: Value[] = [dict.workbook.weekdays[name], ...new Array<Value>(24).fill(null)];
    for (const c of cells) {
      if (c.weekday === i + 1 && c.hour >= 0 && c.hour < 24 && c.incoming > 0)
        values[c.hour + 1] = c.incoming_missed / c.incoming;
    }
    return { values, styles };
  });
  await book.table(dict.sheets.weekHours, columns, rows, {
    colourScale: [1, 24],
    filter: false,
    freezeColumns: 1,
  });
}

/** Whether the report covers several dates (the two sheets above are written only then). */
export function severalDays(summary: Summary): boolean {
  return summary.days.length > 1 && summary.week_hours !== null;
}
