/**
 * exceljs's streaming writer on its own: the package root (`exceljs`) also
 * loads its reader and its in-memory workbook, which the engine never uses
 * (about 350 KB of every report function's bundle; bench/README.md).
 */
declare module 'exceljs/lib/stream/xlsx/workbook-writer.js' {
  import type ExcelJS from 'exceljs';

  const WorkbookWriter: typeof ExcelJS.stream.xlsx.WorkbookWriter;
  export default WorkbookWriter;
}
