/**
 * What we change in exceljs's zip (archiver, `wb.zip`) on its way out: parts
 * exceljs cannot write are amended as they are appended. Should exceljs change
 * how it adds a part, the amendment is simply missing.
 */

/** The parts of archiver (exceljs's `wb.zip`) used here and by the book. */
export interface Zip extends NodeJS.EventEmitter {
  append(source: unknown, data?: { name?: string }): Zip;
  pointer(): number;
  abort(): void;
  unpipe(destination?: NodeJS.WritableStream): void;
}

const escapeXml = (s: string): string =>
  s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

/** A sheet's name as a reference wants it: quoted, its apostrophes doubled. */
function sheetRef(sheetName: string): string {
  return `'${sheetName.replace(/'/g, "''")}'`;
}

/** A sheet's autoFilter range as a defined name wants it: `'Sheet'!$A$1:$E$25`. */
export function filterRange(
  sheetName: string,
  lastColumn: string,
  firstRow: number,
  lastRow: number,
): string {
  return `${sheetRef(sheetName)}!$A$${firstRow}:$${lastColumn}$${lastRow}`;
}

/** Rows printed on every page, as a defined name wants them: `'Sheet'!$2:$2`. */
export function rowsRange(sheetName: string, row: number): string {
  return `${sheetRef(sheetName)}!$${row}:$${row}`;
}

/** A sheet-local defined name the workbook part is given on its way out. */
export interface SheetName {
  /** `_xlnm._FilterDatabase` (hidden) or `_xlnm.Print_Titles`. */
  name: '_xlnm._FilterDatabase' | '_xlnm.Print_Titles';
  /** The position of its sheet. */
  sheet: number;
  range: string;
}

/**
 * Sheet-local names exceljs cannot write, added to the workbook part on its
 * way into the zip; `names` is read when that part is appended, at the end.
 * - LibreOffice shows an autoFilter only when the workbook also defines the
 *   hidden name `_xlnm._FilterDatabase` for that sheet (as Excel itself writes;
 *   see exceljs issue #2778, LibreOffice bug 118592).
 * - The print titles (`_xlnm.Print_Titles`): exceljs writes them, but without
 *   doubling an apostrophe in the sheet's name, which breaks the reference.
 */
export function addSheetNames(zip: Zip, names: readonly SheetName[]): void {
  const append = zip.append.bind(zip);
  zip.append = (source, data) => {
    if (data?.name === '/xl/workbook.xml' && typeof source === 'string' && names.length > 0) {
      const xml = names
        .map(
          ({ name, sheet, range }) =>
            `<definedName name="${name}" localSheetId="${sheet}"${name === '_xlnm._FilterDatabase' ? ' hidden="1"' : ''}>${escapeXml(range)}</definedName>`,
        )
        .join('');
      if (source.includes('<definedNames>'))
        source = source.replace('<definedNames>', `<definedNames>${xml}`);
      else source = source.replace('</sheets>', `</sheets><definedNames>${xml}</definedNames>`);
    }
    return append(source, data);
  };
}
