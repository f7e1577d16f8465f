/**
 * The zip part that holds a sheet, found by its name as a reader finds it
 * (workbook.xml's `<sheet name r:id>`, then that relation's target): the parts
 * are named by the order the sheets were written, which is not the order they
 * are shown ("All calls" is written first and shown last).
 */
export function sheetPart(
  parts: ReadonlyMap<string, { toString(encoding?: 'utf8'): string }>,
  name: string,
): string {
  const book = parts.get('xl/workbook.xml')?.toString('utf8') ?? '';
  const rels = parts.get('xl/_rels/workbook.xml.rels')?.toString('utf8') ?? '';
  const escaped = name.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/"/g, '&quot;');
  const sheet = new RegExp(
    `<sheet [^>]*name="${escaped.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}"[^>]*r:id="([^"]+)"`,
  ).exec(book);
  if (!sheet) throw new Error(`no sheet named ${name} in xl/workbook.xml`);
  const rel = new RegExp(`<Relationship [^>]*Id="${sheet[1]}"[^>]*Target="([^"]+)"`).exec(rels);
  if (!rel) throw new Error(`no relation ${sheet[1]} in xl/_rels/workbook.xml.rels`);
  return `xl/${rel[1]}`;
}
