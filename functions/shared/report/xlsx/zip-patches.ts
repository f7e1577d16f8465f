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

/** A sheet's autoFilter range as a defined name wants it: `'Sheet'!$A$1:$E$25`. */
export function filterRange(sheetName: string, lastColumn: string, lastRow: number): string {
  return `'${sheetName.replace(/'/g, "''")}'!$A$1:$${lastColumn}$${lastRow}`;
}

/**
 * LibreOffice shows an autoFilter only when the workbook also defines the hidden
 * name `_xlnm._FilterDatabase` for that sheet (as Excel itself writes; see
 * exceljs issue #2778, LibreOffice bug 118592). exceljs cannot write a hidden,
 * sheet-local name, so the workbook part is amended on its way into the zip.
 * `filters` (one `filterRange` per sheet, in sheet order) is read when that
 * part is appended, at the end.
 */
export function addFilterNames(zip: Zip, filters: readonly string[]): void {
  const append = zip.append.bind(zip);
  zip.append = (source, data) => {
    if (data?.name === '/xl/workbook.xml' && typeof source === 'string' && filters.length > 0) {
      const names = filters
        .map(
          (ref, i) =>
            `<definedName name="_xlnm._FilterDatabase" localSheetId="${i}" hidden="1">${escapeXml(ref)}</definedName>`,
        )
        .join('');
      if (source.includes('<definedNames>'))
        source = source.replace('<definedNames>', `<definedNames>${names}`);
      else source = source.replace('</sheets>', `</sheets><definedNames>${names}</definedNames>`);
    }
    return append(source, data);
  };
}
