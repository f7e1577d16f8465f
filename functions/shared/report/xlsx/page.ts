/**
 * How every sheet prints: landscape A4, one page wide (`fitToPage` is what
 * makes Excel and LibreOffice honour `fitToWidth`; `fitToHeight` 0 lets the
 * pages run down as long as the table), narrow margins, and a footer with the sheet's name and the page
 * number, so a printed or PDF page says where it comes from.
 */
import type ExcelJS from 'exceljs';

/** A4 in the paper sizes of SpreadsheetML. */
const A4 = 9;

/** Margins in inches: narrow, with room for the footer. */
const MARGINS = { left: 0.4, right: 0.4, top: 0.45, bottom: 0.6, header: 0.2, footer: 0.25 };

/**
 * The print setup of a sheet; `onePage`: one page tall too. The rows repeated
 * on every page are a defined name the book adds itself (zip-patches.ts).
 */
export function pageSetup(onePage: boolean): Partial<ExcelJS.PageSetup> {
  return {
    paperSize: A4,
    orientation: 'landscape',
    fitToPage: true,
    fitToWidth: 1,
    fitToHeight: onePage ? 1 : 0,
    margins: { ...MARGINS },
  };
}

/** The footer: the sheet's name at the left, "page / pages" at the right (Excel's codes &A, &P, &N). */
export function printFooter(): Partial<ExcelJS.HeaderFooter> {
  return { oddFooter: '&L&"Arial"&8&A&R&"Arial"&8&P / &N' };
}
