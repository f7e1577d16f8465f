/**
 * "Summary": under a title naming the period and its zone, the three answers
 * first (how many calls were lost, whether the clients were called back, how
 * long people waited), then the rest of the figures, the report's own facts,
 * and the settings last. One figure a row: its name, its value, the like
 * period's value and the change when there is one (coloured by whether it is
 * good or bad for the team: more misses red, more answered green; neutral
 * figures plain), and what it means. Durations and their changes are
 * durations. No filter: it is a page to read, not a table to sort.
 */
import { parseWall, toWall } from '../../time.ts';
import { formatDay, formatReportPeriod, zoneInWords } from '../format.ts';
import { type Dictionary, type FigureText, fill, type Language } from '../i18n.ts';
import type { Previous, Summary, Totals } from '../types.ts';
import { type StyleSet, withNumFmt } from '../xlsx/styles.ts';
import type { ColumnSpec, Kind, Style, TableRow, Value } from '../xlsx/types.ts';
import { cellText, dateOrNull, excelDuration } from '../xlsx/values.ts';

/** How a figure's value shows. */
type FigureKind = 'count' | 'duration' | 'rate';
/** Which way a change is good for the team; null: neither. */
type Better = 'up' | 'down' | null;

interface Figure {
  text: FigureText;
  kind: FigureKind;
  value: number | null;
  /** The like period's value; undefined when the comparison does not carry this figure. */
  previous?: number | null;
  better: Better;
}

/** The headline figures after the answers, with which way is good. */
const CALLS: readonly {
  key: keyof Dictionary['figures'] & keyof Totals;
  kind: FigureKind;
  better: Better;
}[] = [
  { key: 'calls', kind: 'count', better: null },
  { key: 'internal', kind: 'count', better: null },
  { key: 'incoming', kind: 'count', better: null },
  { key: 'incoming_answered', kind: 'count', better: 'up' },
  { key: 'short_missed', kind: 'count', better: null },
  { key: 'outgoing', kind: 'count', better: null },
  { key: 'outgoing_answered', kind: 'count', better: 'up' },
  { key: 'talk_seconds', kind: 'duration', better: null },
  { key: 'avg_talk_seconds_incoming', kind: 'duration', better: null },
  { key: 'avg_talk_seconds_outgoing', kind: 'duration', better: null },
  { key: 'max_wait_seconds', kind: 'duration', better: 'down' },
];

const BUCKETS = ['le_15m', 'le_1h', 'le_4h', 'later'] as const;

/** The dates of a period as a person of the language writes them: `14.10.2024`, `07.10.2024–13.10.2024`. */
function datesText(period: { from: string; till: string }, lang: Language): string {
  return period.from === period.till
    ? formatDay(period.from, lang)
    : `${formatDay(period.from, lang)}–${formatDay(period.till, lang)}`;
}

/** The change from `old` to `cur` as the cell holds it: a count, a duration (days), percentage points. */
function change(kind: FigureKind, cur: number, old: number): number {
  if (kind === 'rate') return (cur - old) * 100;
  return kind === 'duration' ? excelDuration(cur - old) : cur - old;
}

export interface SummarySheet {
  title: string;
  columns: ColumnSpec[];
  rows: TableRow[];
}

export function summarySheet(
  summary: Summary,
  dict: Dictionary,
  set: StyleSet,
  lang: Language,
): SummarySheet {
  const prev: Previous | null = summary.previous;
  const s = dict.summary;
  const w = dict.workbook;
  const columns: ColumnSpec[] = [
    { header: s.columns.figure, kind: 'text', maxWidth: 40 },
    { header: s.columns.value, kind: 'number' },
  ];
  if (prev) {
    columns.push(
      { header: fill(w.previousColumn, { period: datesText(prev.period, lang) }), kind: 'number' },
      { header: s.columns.change, kind: 'number' },
    );
  }
  columns.push({ header: s.columns.meaning, kind: 'text', maxWidth: 90 });
  const width = columns.length;

  const u = dict.units;
  const changeFormat: Record<FigureKind, string> = {
    count: '+#,##0;-#,##0;0',
    duration: '+[h]:mm:ss;-[h]:mm:ss;0:00:00',
    rate: `+0.0" ${u.points}";-0.0" ${u.points}";0.0" ${u.points}"`,
  };
  const vars = {
    sla: summary.settings.sla_seconds,
    short: summary.settings.short_call_seconds,
    horizon: summary.settings.callback_horizon_hours,
  };
  const rows: TableRow[] = [];

  /** A row of a figure or a fact: label, value, [previous, change], meaning. */
  const line = (
    t: FigureText,
    kind: Kind,
    value: Value,
    previous: { value: Value; change: Value; style: Style } | null = null,
    label: Style = set.plain.text,
  ): void => {
    const values: Value[] = [t.label, value];
    const styles: Style[] = [label, set.plain[kind]];
    const kinds: Kind[] = ['text', kind];
    if (prev) {
      values.push(previous?.value ?? null, previous?.change ?? null);
      styles.push(set.plain[kind], previous?.style ?? set.plain.change);
      kinds.push(kind, 'change');
    }
    values.push(fill(t.meaning, vars));
    styles.push(set.plain.text);
    kinds.push('text');
    rows.push({ values, styles, kinds });
  };
  const shown = (kind: FigureKind, v: number | null): Value =>
    v === null ? null : kind === 'duration' ? excelDuration(v) : v;
  const figure = (f: Figure, label?: Style): void => {
    const old = f.previous;
    if (old === undefined || !prev) {
      line(f.text, f.kind, shown(f.kind, f.value), null, label);
      return;
    }
    let delta: number | null = null;
    let tone: Style = set.plain.change;
    if (f.value !== null && old !== null) {
      delta = change(f.kind, f.value, old);
      const good = f.better === 'up' ? delta > 0 : f.better === 'down' ? delta < 0 : false;
      const bad = f.better === 'up' ? delta < 0 : f.better === 'down' ? delta > 0 : false;
      tone = good ? set.goodStrong.change : bad ? set.badStrong.change : set.plain.change;
    }
    const style = withNumFmt(tone, changeFormat[f.kind]);
    line(f.text, f.kind, shown(f.kind, f.value), { value: shown(f.kind, old), change: delta, style }, label);
  };
  const section = (title: string): void => {
    const values: Value[] = new Array(width).fill(null);
    values[0] = title;
    rows.push({ values, styles: [set.bold.text] });
  };

  const t = summary.totals;
  const m = summary.missed;
  const pt = prev?.totals;
  const pm = prev?.missed;
  const hoursSet = summary.settings.working_hours !== null;

  section(w.answers);
  const answers: Figure[] = [
    {
      text: dict.figures.incoming_missed,
      kind: 'count',
      value: t.incoming_missed,
      previous: pt?.incoming_missed,
      better: 'down',
    },
    {
      text: dict.figures.missed_rate,
      kind: 'rate',
      value: t.missed_rate,
      previous: pt?.missed_rate,
      better: 'down',
    },
  ];
  if (hoursSet) {
    answers.push(
      {
        text: w.missedInHours,
        kind: 'count',
        value: t.incoming_missed_in_hours,
        previous: pt?.incoming_missed_in_hours,
        better: 'down',
      },
      {
        text: w.missedRateInHours,
        kind: 'rate',
        value: t.missed_rate_in_hours,
        previous: pt?.missed_rate_in_hours,
        better: 'down',
      },
    );
  }
  answers.push(
    {
      text: w.clientsToCall,
      kind: 'count',
      value: m.call_first.length,
      previous: pm?.call_first_count,
      better: 'down',
    },
    {
      text: dict.missedFigures.unreturned,
      kind: 'count',
      value: m.unreturned,
      previous: pm?.unreturned,
      better: 'down',
    },
    {
      text: dict.missedFigures.called_back,
      kind: 'count',
      value: m.called_back,
      previous: pm?.called_back,
      better: 'up',
    },
    {
      text: dict.figures.avg_wait_seconds,
      kind: 'duration',
      value: t.avg_wait_seconds,
      previous: pt?.avg_wait_seconds,
      better: 'down',
    },
    { text: dict.figures.sla_rate, kind: 'rate', value: t.sla_rate, previous: pt?.sla_rate, better: 'up' },
  );
  for (const f of answers) figure(f, set.bold.text);

  section(s.sections.calls);
  for (const { key, kind, better } of CALLS)
    figure({ text: dict.figures[key], kind, value: t[key], previous: pt ? pt[key] : undefined, better });

  section(s.sections.missed);
  const mf = dict.missedFigures;
  figure({ text: mf.numbers, kind: 'count', value: m.numbers, better: 'down' });
  figure({
    text: mf.client_called_again,
    kind: 'count',
    value: m.client_called_again,
    previous: pm?.client_called_again,
    better: null,
  });
  figure({
    text: mf.callback_failed,
    kind: 'count',
    value: m.callback_failed,
    previous: pm?.callback_failed,
    better: 'down',
  });
  figure({
    text: mf.avg_callback_delay_seconds,
    kind: 'duration',
    value: m.avg_callback_delay_seconds,
    better: 'down',
  });

  section(s.sections.buckets);
  for (const key of BUCKETS) line(dict.buckets[key], 'count', m.callback_delay_buckets[key]);

  section(s.sections.report);
  const prevDate = (d: string | undefined) =>
    d === undefined ? null : { value: dateOrNull(parseWall(d)), change: null, style: set.plain.change };
  line(s.rows.periodFrom, 'date', dateOrNull(parseWall(summary.period.from)), prevDate(prev?.period.from));
  line(s.rows.periodTill, 'date', dateOrNull(parseWall(summary.period.till)), prevDate(prev?.period.till));
  if (summary.period.partial && summary.period.as_of)
    line(w.asOf, 'datetime', dateOrNull(parseWall(summary.period.as_of)));
  if (prev) line(w.comparedWith, 'text', datesText(prev.period, lang));
  line(s.rows.timezone, 'text', zoneInWords(summary.period.timezone, dict));
  const generated = Date.parse(summary.generated_at);
  const generatedWall = Number.isNaN(generated) ? null : toWall(generated, summary.period.timezone);
  line(s.rows.generatedAt, 'datetime', dateOrNull(generatedWall));
  if (summary.source.report_id !== null) line(s.rows.reportId, 'id', summary.source.report_id);
  if (summary.source.filter != null)
    line(s.rows.filter, 'text', cellText(JSON.stringify(summary.source.filter)));
  const repeated = summary.source.duplicate_rows ?? 0;
  if (repeated > 0) line(s.rows.duplicateRows, 'count', repeated);

  section(s.sections.settings);
  line(dict.settings.sla_seconds, 'number', summary.settings.sla_seconds);
  line(dict.settings.short_call_seconds, 'number', summary.settings.short_call_seconds);
  line(dict.settings.callback_horizon_hours, 'number', summary.settings.callback_horizon_hours);
  line(dict.settings.working_hours, 'text', summary.settings.working_hours ?? dict.words.noWorkingHours);

  const title = fill(w.title, {
    title: dict.title,
    period: formatReportPeriod(summary.period, dict, lang),
    zone: zoneInWords(summary.period.timezone, dict),
  });
  return { title, columns, rows };
}
