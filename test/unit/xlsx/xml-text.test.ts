import { createRequire } from 'node:module';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { xmlText } from '../../../functions/shared/report/xlsx/xml-text.ts';

/** exceljs's own cell text encoder, which `xmlText` must equal. */
const { xmlEncode } = createRequire(import.meta.url)('exceljs/lib/utils/utils.js') as {
  xmlEncode(text: string): string;
};

describe('xmlText', () => {
  it('escapes <>&\'" and drops control characters other than tab, LF and CR', () => {
    expect(xmlText(`a<b>&'"c`)).toBe('a&lt;b&gt;&amp;&apos;&quot;c');
    expect(xmlText('x\x00\x01\x08\x0b\x0c\x0e\x1f\x7fy')).toBe('xy');
    expect(xmlText('tab\there\nline\r\n')).toBe('tab\there\nline\r\n');
    expect(xmlText('Ёлка & ёж 😀')).toBe('Ёлка &amp; ёж 😀');
    expect(xmlText('')).toBe('');
  });

  it('hands back text with nothing to escape as it is', () => {
    const plain = 'Иванов Иван, +7 (916) 123-45-67';
    expect(xmlText(plain)).toBe(plain);
  });

  it('writes any text exactly as exceljs encodes it', () => {
    const special = fc.constantFrom(
      '<',
      '>',
      '&',
      "'",
      '"',
      '\x00',
      '\x07',
      '\t',
      '\n',
      '\r',
      '\x1f',
      '\x7f',
    );
    const text = fc.array(fc.oneof(fc.string(), special, fc.string({ unit: 'grapheme' })), { maxLength: 12 });
    fc.assert(
      fc.property(text, (parts) => {
        const s = parts.join('');
        expect(xmlText(s)).toBe(xmlEncode(s));
      }),
      { numRuns: 2000 },
    );
  });
});
