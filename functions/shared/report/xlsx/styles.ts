/**
 * Number formats, fonts and the shared style objects. exceljs caches a style's
 * id by object identity (a WeakMap), and so does `RowXml`: one object per kind
 * (and per tone), made once per set of date formats and shared by every cell,
 * costs one lookup instead of rendering style XML for every cell.
 *
 * Every style names its font (one family, its size set), so no reader falls
 * back to its own default beside ours; the workbook's default font (font 0,
 * what unstyled cells and empty rows take) is the same one (`useDefaultFont`).
 * Arial: Excel has it everywhere, and LibreOffice and Gnumeric map it to a
 * metric-compatible face (Liberation Sans), so widths and page breaks match.
 */
import type ExcelJS from 'exceljs';
import { KINDS, type Kind, type Style } from './types.ts';

export const FONT_NAME = 'Arial';
export const FONT_SIZE = 10;
export const TITLE_FONT_SIZE = 14;

/** How dates show: the caller's (the report's language decides). */
export interface DateFormats {
  /** A day, e.g. `dd.mm.yyyy`. */
  date: string;
  /** A day and a time to the second. */
  datetime: string;
  /** A day and a time to the minute. */
  minute: string;
}

/** The date formats when the caller gives none. */
export const DEFAULT_DATES: Readonly<DateFormats> = Object.freeze({
  date: 'dd.mm.yyyy',
  datetime: 'dd.mm.yyyy hh:mm:ss',
  minute: 'dd.mm.yyyy hh:mm',
});

export const NUM_FMT = {
  id: '0',
  count: '#,##0',
  date: DEFAULT_DATES.date,
  datetime: DEFAULT_DATES.datetime,
  duration: '[h]:mm:ss',
  rate: '0.0%',
} as const;

type Font = Partial<ExcelJS.Font>;

const FONT: Font = { name: FONT_NAME, size: FONT_SIZE, family: 2 };
const BOLD: Font = { ...FONT, bold: true };
const TITLE_FONT: Font = { ...FONT, bold: true, size: TITLE_FONT_SIZE };
const BAD_FONT: Font = { ...FONT, bold: true, color: { argb: 'FF9C0006' } };
const WARN_FONT: Font = { ...FONT, bold: true, color: { argb: 'FF9C5700' } };
const GOOD_FONT: Font = { ...FONT, bold: true, color: { argb: 'FF006100' } };
const MUTED_FONT: Font = { ...FONT, color: { argb: 'FF808080' } };
const LINK_FONT: Font = { ...FONT, color: { argb: 'FF0563C1' }, underline: true };

const fill = (argb: string): ExcelJS.Fill => ({ type: 'pattern', pattern: 'solid', fgColor: { argb } });
const BAD_FILL = fill('FFFFC7CE');
const WARN_FILL = fill('FFFFEB9C');
const GOOD_FILL = fill('FFC6EFCE');
const HEADER_FILL = fill('FFF2F2F2');
const MUTED_FILL = fill('FFF7F7F7');

/** The styles of one workbook: per kind, in each tone. */
export interface StyleSet {
  /** The ordinary style of each kind: its number format, the font. */
  plain: Record<Kind, Style>;
  /** A cell that needs attention: filled light red. */
  bad: Record<Kind, Style>;
  /** The cell that says why: light red, bold dark red text. */
  badStrong: Record<Kind, Style>;
  /** Attention, less urgent: filled light amber. */
  warn: Record<Kind, Style>;
  /** Light amber, bold dark amber text. */
  warnStrong: Record<Kind, Style>;
  /** Good news: light green, bold dark green text. */
  goodStrong: Record<Kind, Style>;
  bold: Record<Kind, Style>;
  /** Of less weight (out of working hours, calls that reached nobody): grey text on a faint fill. */
  muted: Record<Kind, Style>;
  /** The header row: bold on light grey, wrapped. */
  header: Style;
  /** A sheet's title line. */
  title: Style;
}

/** A tone: which of a set's per-kind records a cell takes. */
export type Tone = Exclude<keyof StyleSet, 'header' | 'title'>;

const FORMAT_OF = (dates: DateFormats): Record<Kind, string | undefined> => ({
  text: undefined,
  link: undefined,
  id: NUM_FMT.id,
  count: NUM_FMT.count,
  number: undefined,
  date: dates.date,
  datetime: dates.datetime,
  minute: dates.minute,
  duration: NUM_FMT.duration,
  rate: NUM_FMT.rate,
  change: undefined,
});

function mapKinds(f: (k: Kind) => Style): Record<Kind, Style> {
  return Object.fromEntries(KINDS.map((k) => [k, f(k)])) as Record<Kind, Style>;
}

function makeSet(dates: DateFormats): StyleSet {
  const format = FORMAT_OF(dates);
  const plain = mapKinds((k) => ({
    ...(format[k] ? { numFmt: format[k] } : {}),
    font: k === 'link' ? LINK_FONT : FONT,
  }));
  const tinted = (f: ExcelJS.Fill, font?: Font) =>
    mapKinds((k) => ({ ...plain[k], fill: f, ...(font ? { font } : {}) }));
  return {
    plain,
    bad: tinted(BAD_FILL),
    badStrong: tinted(BAD_FILL, BAD_FONT),
    warn: tinted(WARN_FILL),
    warnStrong: tinted(WARN_FILL, WARN_FONT),
    goodStrong: tinted(GOOD_FILL, GOOD_FONT),
    bold: mapKinds((k) => ({ ...plain[k], font: BOLD })),
    muted: tinted(MUTED_FILL, MUTED_FONT),
    header: { font: BOLD, fill: HEADER_FILL, alignment: { vertical: 'top', wrapText: true } },
    title: { font: TITLE_FONT },
  };
}

const sets = new Map<string, StyleSet>();

/** The style set for these date formats, the same objects every time (style ids are cached by identity). */
export function styleSet(dates: DateFormats = DEFAULT_DATES): StyleSet {
  const key = `${dates.date}\n${dates.datetime}\n${dates.minute}`;
  let set = sets.get(key);
  if (set === undefined) {
    set = makeSet(dates);
    sets.set(key, set);
  }
  return set;
}

const DEFAULT_SET = styleSet();
/** The default set's styles, by kind. */
export const STYLE = DEFAULT_SET.plain;
export const BAD_STYLE = DEFAULT_SET.bad;
export const BAD_STRONG_STYLE = DEFAULT_SET.badStrong;
export const BOLD_STYLE = DEFAULT_SET.bold;
export const HEADER_STYLE = DEFAULT_SET.header;
export const TITLE_STYLE = DEFAULT_SET.title;

const withFormats = new WeakMap<Style, Map<string, Style>>();

/** `style` with another number format: the same object for the same pair, every time. */
export function withNumFmt(style: Style, numFmt: string): Style {
  let byFormat = withFormats.get(style);
  if (byFormat === undefined) {
    byFormat = new Map();
    withFormats.set(style, byFormat);
  }
  let made = byFormat.get(numFmt);
  if (made === undefined) {
    made = { ...style, numFmt };
    byFormat.set(numFmt, made);
  }
  return made;
}

/**
 * Makes our font the workbook's default (font 0, which exceljs would make
 * Calibri 11 of the theme): unstyled cells, empty rows and row heights follow
 * it. Must run before the first style is added.
 */
export function useDefaultFont(wb: ExcelJS.stream.xlsx.WorkbookWriter): void {
  // Internals: the stream writer's StylesXform adds its default font when it
  // has none yet; if exceljs changes, we only lose the default.
  const styles = (wb as unknown as { styles?: { model?: { fonts?: unknown[] }; _addFont?(f: Font): number } })
    .styles;
  if (styles?.model?.fonts?.length === 0 && typeof styles._addFont === 'function') styles._addFont(FONT);
}

/** Colour scale over a range: low green, middle yellow, high red. Blank cells stay blank. */
export function greenToRedScale(ref: string): ExcelJS.ConditionalFormattingOptions {
  return {
    ref,
    rules: [
      {
        type: 'colorScale',
        priority: 1,
        cfvo: [{ type: 'min' }, { type: 'percentile', value: 50 }, { type: 'max' }],
        color: [{ argb: 'FF63BE7B' }, { argb: 'FFFFEB84' }, { argb: 'FFF8696B' }],
      },
    ],
  };
}
