/**
 * Data rows written as XML text straight into a sheet's part, byte for byte
 * what exceljs's streaming writer renders for them: exceljs's Row and Cell
 * objects cost ~30 µs a row of 27 cells, this ~3 µs. exceljs still writes
 * everything around the rows (the part's head with columns and frozen pane,
 * the header row, the autoFilter, styles, the workbook).
 */
import type ExcelJS from 'exceljs';
import type { Formula, Style, Value } from './types.ts';
import { xmlText } from './xml-text.ts';

/** Cell types as exceljs numbers them (its `ValueType`), for the style of a cell. */
const NUMBER_CELL = 2;
const STRING_CELL = 3;
const FORMULA_CELL = 6;

/** Bytes of XML gathered before they go to the sheet's part (which copies them). */
const XML_CHUNK = 16 * 1024;

/**
 * Data rows written as XML text into a sheet's part, exactly as exceljs's
 * streaming writer renders a committed row whose cells all carry a style:
 * `<row r spans x14ac:dyDescent>`, then per cell `<c r s t><v>…</v></c>`
 * (`s` left out for style 0, `t="str"` for text, a styled empty cell as
 * `<c r s/>`, an unstyled one and an `undefined` value not at all). Style ids
 * come from the workbook's own style registry, by the same shared style
 * objects exceljs would be given.
 */
export class RowXml {
  private readonly sheet: ExcelJS.Worksheet;
  private readonly registry: { addStyleModel(style: Style, cellType: number): number };
  /** `<c r="A` … per column: a cell's text up to its row number. */
  private readonly heads: string[];
  private readonly ids = new Map<Style, number>();
  /** Per column, a cell's text after its row number, by style id and value (see `tail`). */
  private readonly tails: CellTails[];
  /**
   * The rows' UTF-8, reused: the sheet's part copies what it is given, and a
   * long string gathered over many rows would live long enough to be promoted
   * to the old generation, then garbage there (~2 MB of heap per 1000 rows).
   */
  private buffer = Buffer.allocUnsafeSlow(XML_CHUNK);
  private used = 0;
  /** The row's numbers, reused (see `row`). */
  private readonly numbers: number[] = [];

  constructor(wb: ExcelJS.stream.xlsx.WorkbookWriter, sheet: ExcelJS.Worksheet, width: number) {
    this.sheet = sheet;
    this.registry = (wb as unknown as { styles: RowXml['registry'] }).styles;
    this.heads = Array.from({ length: width }, (_, i) => `<c r="${columnLetter(i + 1)}`);
    this.tails = Array.from({ length: width }, () => ({ byStyle: new Map(), asked: 0, found: 0, on: true }));
  }

  private styleId(style: Style, cellType: number): number {
    let id = this.ids.get(style);
    if (id === undefined) {
      // exceljs caches a style object's id on first use, whatever the cell type then.
      id = this.registry.addStyleModel(style, cellType);
      this.ids.set(style, id);
    }
    return id;
  }

  /**
   * `" s="5" t="str"><v>text</v></c>`: what follows the row number in a text
   * cell. Texts repeat (labels, names, lines), so each column remembers them,
   * and stops remembering when its texts do not repeat (client numbers).
   */
  private tail(column: number, id: number, text: string): string {
    const t = this.tails[column] as CellTails;
    if (!t.on) return textTail(id, text);
    let byText = t.byStyle.get(id);
    if (byText === undefined) {
      byText = new Map();
      t.byStyle.set(id, byText);
    }
    t.asked++;
    let tail = byText.get(text);
    if (tail === undefined) {
      tail = textTail(id, text);
      if (byText.size < TAILS_PER_COLUMN) byText.set(text, tail);
      if (t.asked >= 2000 && t.found * 2 < t.asked) {
        t.on = false;
        t.byStyle.clear();
      }
    } else t.found++;
    return tail;
  }

  /** Adds a row; true when this handed a chunk of XML to the sheet's part. */
  row(r: number, values: readonly Value[], styles: readonly Style[]): boolean {
    // Numbers become text through one JSON.stringify of the row's numbers, the
    // same digits as String(n): V8 keeps the text of each number converted one
    // by one in a cache that outlives young-generation collections, so a million
    // rows of dates and durations would leave ~0.3 GB of garbage in the old
    // generation before the next full collection.
    const numbers = this.numbers;
    numbers.length = 0;
    for (let i = 0; i < values.length; i++) {
      const v = values[i];
      if (typeof v === 'number' && Number.isFinite(v)) numbers.push(v);
    }
    const digits = numbers.length > 0 ? JSON.stringify(numbers) : '';
    let next = 1; // past the '['
    const row = `${r}`;
    let cells = '';
    let min = 0;
    let max = 0;
    let hasValues = false;
    for (let i = 0; i < values.length; i++) {
      const v = values[i];
      if (v === undefined) continue;
      const col = i + 1;
      if (min === 0) min = col;
      max = col;
      const style = styles[i] as Style;
      if (v === null) {
        const id = this.styleId(style, 0);
        if (id) cells += `${this.heads[i] as string}${row}" s="${id}"/>`;
      } else if (typeof v === 'number') {
        hasValues = true;
        const id = this.styleId(style, NUMBER_CELL);
        let text: string;
        if (Number.isFinite(v)) {
          const comma = digits.indexOf(',', next);
          const end = comma < 0 ? digits.length - 1 : comma;
          text = digits.slice(next, end);
          next = end + 1;
        } else text = String(v);
        cells += id
          ? `${this.heads[i] as string}${row}" s="${id}"><v>${text}</v></c>`
          : `${this.heads[i] as string}${row}"><v>${text}</v></c>`;
      } else if (typeof v === 'string') {
        hasValues = true;
        cells += `${this.heads[i] as string}${row}${this.tail(i, this.styleId(style, STRING_CELL), v)}`;
      } else {
        hasValues = true;
        cells += `${this.heads[i] as string}${row}${formulaTail(this.styleId(style, FORMULA_CELL), v)}`;
      }
    }
    if (!hasValues) return false; // exceljs writes no row without a value
    // One character per byte: the text already holds UTF-8 (see `textTail`).
    const xml = `<row r="${row}" spans="${min}:${max}" x14ac:dyDescent="0.25">${cells}</row>`;
    let handedOn = false;
    if (this.used + xml.length > this.buffer.length) {
      handedOn = this.flush();
      if (xml.length > this.buffer.length) this.buffer = Buffer.allocUnsafeSlow(xml.length);
    }
    this.used += this.buffer.write(xml, this.used, 'latin1');
    return handedOn;
  }

  /** Hands the XML gathered so far to the sheet's part (which copies it); true when there was some. */
  flush(): boolean {
    if (this.used === 0) return false;
    const stream = (this.sheet as unknown as { stream: { write(chunk: Buffer): unknown } }).stream;
    stream.write(this.buffer.subarray(0, this.used));
    this.used = 0;
    return true;
  }
}

/** A column's remembered cell tails (see `RowXml.tail`). */
interface CellTails {
  byStyle: Map<number, Map<string, string>>;
  asked: number;
  found: number;
  on: boolean;
}

/** Texts remembered per column and style. */
const TAILS_PER_COLUMN = 20_000;

// biome-ignore lint/suspicious/noControlCharactersInRegex: the range starts at NUL on purpose (any ASCII).
const NOT_ASCII = /[^\x00-\x7f]/;

/**
 * What follows the row number in a text cell with style `id`, as UTF-8 bytes
 * held one per character. A row's text is then one byte per character however
 * much Cyrillic it holds, and goes into the buffer as a plain copy: a row of
 * UTF-16 text (what one Cyrillic label makes of all of it) costs twice the
 * memory to build and ~1.5 µs more to encode.
 */
function textTail(id: number, text: string): string {
  const escaped = xmlText(text);
  const utf8 = NOT_ASCII.test(escaped) ? Buffer.from(escaped, 'utf8').toString('latin1') : escaped;
  return id ? `" s="${id}" t="str"><v>${utf8}</v></c>` : `" t="str"><v>${utf8}</v></c>`;
}

/** What follows the row number in a formula cell with a text result, as exceljs writes it (UTF-8 held one byte per character). */
function formulaTail(id: number, f: Formula): string {
  const xml = `<f>${xmlText(f.formula)}</f><v>${xmlText(f.result)}</v></c>`;
  const utf8 = NOT_ASCII.test(xml) ? Buffer.from(xml, 'utf8').toString('latin1') : xml;
  return id ? `" s="${id}" t="str">${utf8}` : `" t="str">${utf8}`;
}

/** `A`…`Z`, `AA`… for a 1-based column number. */
export function columnLetter(n: number): string {
  let s = '';
  for (let c = n; c > 0; c = Math.floor((c - 1) / 26)) s = String.fromCharCode(65 + ((c - 1) % 26)) + s;
  return s;
}
