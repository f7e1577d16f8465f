/**
 * "Summary": the report's figures, one per row (its name, its value, the
 * previous period's value and the change when there is one, and what it
 * means), in sections. The figures and their order are the lists below.
 */
import { parseWall, toWall } from '../../time.ts';
import { type Dictionary, type FigureText, fill } from '../i18n.ts';
import type { MissedFigures, ReportSettings, Summary, Totals } from '../types.ts';
import { BAD_STRONG_STYLE, BAD_STYLE, BOLD_STYLE, STYLE, TITLE_STYLE } from '../xlsx/styles.ts';
import type { ColumnSpec, Kind, Style, TableRow, Value } from '../xlsx/types.ts';
import { cellText, dateOrNull, excelDuration } from '../xlsx/values.ts';

/** How a figure's change is shown: a signed count, signed seconds, signed percentage points. */
type ChangeKind = 'count' | 'duration' | 'rate';

/** The headline figures, compared with the previous period. */
const TOTALS: readonly { key: keyof Dictionary['figures'] & keyof Totals; kind: ChangeKind }[] = [
  { key: 'calls', kind: 'count' },
  { key: 'internal', kind: 'count' },
  { key: 'incoming', kind: 'count' },
  { key: 'incoming_answered', kind: 'count' },
  { key: 'incoming_missed', kind: 'count' },
  { key: 'missed_rate', kind: 'rate' },
  { key: 'short_missed', kind: 'count' },
  { key: 'outgoing', kind: 'count' },
  { key: 'outgoing_answered', kind: 'count' },
  { key: 'talk_seconds', kind: 'duration' },
  { key: 'avg_talk_seconds_incoming', kind: 'duration' },
  { key: 'avg_talk_seconds_outgoing', kind: 'duration' },
  { key: 'avg_wait_seconds', kind: 'duration' },
  { key: 'max_wait_seconds', kind: 'duration' },
  { key: 'sla_rate', kind: 'rate' },
];

/** What became of the missed calls; `alarm`: shown in red when above zero. */
const MISSED: readonly {
  key: keyof Dictionary['missedFigures'] & keyof MissedFigures;
  kind: 'count' | 'duration';
  alarm?: true;
}[] = [
  { key: 'total', kind: 'count' },
  { key: 'numbers', kind: 'count' },
  { key: 'called_back', kind: 'count' },
  { key: 'client_called_again', kind: 'count' },
  { key: 'callback_failed', kind: 'count' },
  { key: 'unreturned', kind: 'count', alarm: true },
  { key: 'avg_callback_delay_seconds', kind: 'duration' },
];

const BUCKETS = ['le_15m', 'le_1h', 'le_4h', 'later'] as const;
/** The settings that are numbers (working hours are text, shown after them). */
const SETTINGS: readonly Exclude<keyof ReportSettings, 'working_hours'>[] = [
  'sla_seconds',
  'short_call_seconds',
  'callback_horizon_hours',
];

/** A previous-period value and the change to it. */
interface Previous {
  value: Value;
  change: Value;
  changeKind: ChangeKind;
}

const seconds = (v: number | null): Value => (v === null ? null : excelDuration(v));

export function summarySheet(
  summary: Summary,
  dict: Dictionary,
): { columns: ColumnSpec[]; rows: TableRow[] } {
  const prev = summary.previous;
  const s = dict.summary;
  const columns: ColumnSpec[] = [
    { header: s.columns.figure, kind: 'text' },
    { header: s.columns.value, kind: 'number' },
  ];
  if (prev) {
    columns.push(
      { header: s.columns.previous, kind: 'number' },
      { header: s.columns.change, kind: 'number' },
    );
  }
  columns.push({ header: s.columns.meaning, kind: 'text', maxWidth: 100 });
  const width = columns.length;

  const units = dict.units;
  const changeFormat: Record<ChangeKind, Style> = {
    count: { numFmt: '+#,##0;-#,##0;0' },
    duration: { numFmt: `+#,##0" ${units.seconds}";-#,##0" ${units.seconds}";0" ${units.seconds}"` },
    rate: { numFmt: `+0.0" ${units.points}";-0.0" ${units.points}";0.0" ${units.points}"` },
  };
  const vars = {
    sla: summary.settings.sla_seconds,
    short: summary.settings.short_call_seconds,
    horizon: summary.settings.callback_horizon_hours,
  };
  const rows: TableRow[] = [];

  const line = (t: FigureText, kind: Kind, value: Value, previous?: Previous, bad = false): void => {
    const base = bad ? BAD_STYLE : STYLE;
    const values: Value[] = [t.label, value];
    const styles: Style[] = [bad ? BAD_STRONG_STYLE.text : STYLE.text, base[kind]];
    const kinds: Kind[] = ['text', kind];
    if (prev) {
      values.push(previous?.value ?? null, previous?.change ?? null);
      kinds.push(kind, 'change');
      styles.push(base[kind], changeFormat[previous?.changeKind ?? 'count']);
    }
    values.push(fill(t.meaning, vars));
    styles.push(base.text);
    kinds.push('text');
    rows.push({ values, styles, kinds });
  };
  const section = (title: string, style: Style = BOLD_STYLE.text): void => {
    const values: Value[] = new Array(width).fill(null);
    values[0] = title;
    rows.push({ values, styles: [style] });
  };

  section(dict.title, TITLE_STYLE);
  section(s.sections.report);
  const prevDate = (d: string | undefined): Previous => ({
    value: d === undefined ? null : dateOrNull(parseWall(d)),
    change: null,
    changeKind: 'count',
  });
  const generated = Date.parse(summary.generated_at);
  const generatedWall = Number.isNaN(generated) ? null : toWall(generated, summary.period.timezone);
  line(s.rows.periodFrom, 'date', dateOrNull(parseWall(summary.period.from)), prevDate(prev?.period.from));
  line(s.rows.periodTill, 'date', dateOrNull(parseWall(summary.period.till)), prevDate(prev?.period.till));
  line(s.rows.timezone, 'text', summary.period.timezone);
  line(s.rows.generatedAt, 'datetime', dateOrNull(generatedWall));
  if (summary.source.report_id !== null) line(s.rows.reportId, 'id', summary.source.report_id);
  if (summary.source.filter != null)
    line(s.rows.filter, 'text', cellText(JSON.stringify(summary.source.filter)));
  const repeated = summary.source.duplicate_rows ?? 0;
  if (repeated > 0) line(s.rows.duplicateRows, 'count', repeated);

  section(s.sections.calls);
  for (const { key, kind } of TOTALS) {
    const cur = summary.totals[key];
    const old = prev ? prev.totals[key] : null;
    const shown = (v: number | null): Value => (kind === 'duration' ? seconds(v) : v);
    let change: Value = null;
    if (cur !== null && old !== null) change = kind === 'rate' ? (cur - old) * 100 : cur - old;
    line(dict.figures[key], kind, shown(cur), { value: shown(old), change, changeKind: kind });
  }

  const m = summary.missed;
  section(s.sections.missed);
  for (const { key, kind, alarm } of MISSED) {
    const v = m[key];
    line(
      dict.missedFigures[key],
      kind,
      kind === 'duration' ? seconds(v) : v,
      undefined,
      alarm === true && v !== null && v > 0,
    );
  }

  section(s.sections.buckets);
  for (const key of BUCKETS) line(dict.buckets[key], 'count', m.callback_delay_buckets[key]);

  section(s.sections.settings);
  for (const key of SETTINGS) line(dict.settings[key], 'number', summary.settings[key]);
  line(dict.settings.working_hours, 'text', summary.settings.working_hours ?? dict.words.noWorkingHours);

  return { columns, rows };
}
