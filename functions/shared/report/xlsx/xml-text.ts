/** Characters exceljs escapes or drops in cell text (its `xmlEncode`). */
// biome-ignore lint/suspicious/noControlCharactersInRegex: finding control characters is the point.
const XML_SPECIAL = /[<>&'"\x7F\x00-\x08\x0B-\x0C\x0E-\x1F]/;

/** Cell text as exceljs writes it: `<>&'"` escaped, control characters other than tab, LF, CR dropped. */
export function xmlText(text: string): string {
  const found = XML_SPECIAL.exec(text);
  if (!found) return text;
  let result = '';
  let last = 0;
  let i = found.index;
  for (; i < text.length; i++) {
    const code = text.charCodeAt(i);
    let entity: string;
    switch (code) {
      case 34:
        entity = '&quot;';
        break;
      case 38:
        entity = '&amp;';
        break;
      case 39:
        entity = '&apos;';
        break;
      case 60:
        entity = '&lt;';
        break;
      case 62:
        entity = '&gt;';
        break;
      case 127:
        entity = '';
        break;
      default:
        if (code <= 31 && (code <= 8 || (code >= 11 && code !== 13))) {
          entity = '';
          break;
        }
        continue;
    }
    if (last !== i) result += text.substring(last, i);
    last = i + 1;
    result += entity;
  }
  return last !== i ? result + text.substring(last, i) : result;
}
