/**
 * Number formats and the shared style objects. exceljs caches a style's id by
 * object identity (a WeakMap), and so does `RowXml`: one object per kind (and
 * per variant), made once and shared by every cell, costs one lookup instead of
 * rendering style XML for every cell.
 */
import type ExcelJS from 'exceljs';
import { KINDS, type Kind, type Style } from './types.ts';

export const NUM_FMT = {
  id: '0',
  count: '#,##0',
  date: 'dd.mm.yyyy',
  datetime: 'dd.mm.yyyy hh:mm:ss',
  duration: '[h]:mm:ss',
  rate: '0.0%',
} as const;

const FORMAT_OF: Record<Kind, string | undefined> = {
  text: undefined,
  id: NUM_FMT.id,
  count: NUM_FMT.count,
  number: undefined,
  date: NUM_FMT.date,
  datetime: NUM_FMT.datetime,
  duration: NUM_FMT.duration,
  rate: NUM_FMT.rate,
  change: undefined,
};

const BAD_FILL: ExcelJS.Fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FFFFC7CE' } };
const HEADER_FILL: ExcelJS.Fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FFF2F2F2' } };
const BAD_FONT: Partial<ExcelJS.Font> = { bold: true, color: { argb: 'FF9C0006' } };
const BOLD: Partial<ExcelJS.Font> = { bold: true };

/** The header row: bold on light grey, wrapped. */
export const HEADER_STYLE: Style = {
  font: BOLD,
  fill: HEADER_FILL,
  alignment: { vertical: 'top', wrapText: true },
};
/** A sheet's title line. */
export const TITLE_STYLE: Style = { font: { bold: true, size: 14 } };

/** The ordinary style of each kind: its number format. */
export const STYLE: Record<Kind, Style> = mapKinds((k) => (FORMAT_OF[k] ? { numFmt: FORMAT_OF[k] } : {}));
/** A cell that needs attention: filled light red. */
export const BAD_STYLE: Record<Kind, Style> = mapKinds((k) => ({ ...STYLE[k], fill: BAD_FILL }));
/** The cell that says why: light red, bold dark red text. */
export const BAD_STRONG_STYLE: Record<Kind, Style> = mapKinds((k) => ({ ...BAD_STYLE[k], font: BAD_FONT }));
export const BOLD_STYLE: Record<Kind, Style> = mapKinds((k) => ({ ...STYLE[k], font: BOLD }));

function mapKinds(f: (k: Kind) => Style): Record<Kind, Style> {
  return Object.fromEntries(KINDS.map((k) => [k, f(k)])) as Record<Kind, Style>;
}

/** Colour scale over a range: low green, middle yellow, high red. */
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
