import { describe, expect, it } from 'vitest';
import {
  headerLines,
  headerWidth,
  measureWidths,
  shownWidth,
} from '../../../functions/shared/report/xlsx/widths.ts';

describe('column widths', () => {
  it('measures a value as it shows: fixed widths for dates, durations and rates, digits with separators for counts', () => {
    expect(shownWidth(45_000.5, 'datetime')).toBe(19);
    expect(shownWidth(45_000, 'date')).toBe(10);
    expect(shownWidth(0.01, 'duration')).toBe(9);
    expect(shownWidth(0.5, 'rate')).toBe(6);
    expect(shownWidth(1_234_567, 'count')).toBe(9); // 1,234,567
    expect(shownWidth(123, 'count')).toBe(3);
    expect(shownWidth(4.5, 'number')).toBe(3);
    expect(shownWidth('two\nlonger line', 'text')).toBe(11);
    expect(shownWidth(null, 'text')).toBe(0);
    expect(shownWidth(undefined, 'count')).toBe(0);
  });

  it('lets a header wrap onto at most two lines, never narrower than its longest word', () => {
    expect(headerWidth('ID')).toBe(2);
    const long = 'Пропущено с номера за период';
    // The column is the header's width plus a margin of 2: two lines there, three one narrower.
    expect(headerWidth(long)).toBe(15);
    expect(headerLines(long, 17)).toBe(2);
    expect(headerLines(long, 16)).toBe(3);
    expect(headerLines(long, 40)).toBe(1);
    expect(headerWidth('Extraordinarily')).toBe(15);
  });

  it('fits each column to its header and its widest value, plus a margin, between 6 and the cap', () => {
    const widths = measureWidths(
      [
        { header: 'A', kind: 'text' },
        { header: 'Comment', kind: 'text' },
        { header: 'Meaning', kind: 'text', maxWidth: 100 },
        { header: 'When', kind: 'datetime' },
      ],
      [
        { values: ['x', 'y'.repeat(80), 'z'.repeat(80), 45_000] },
        { values: [null, undefined, 'short', 45_001], kinds: ['text', 'text', 'text', 'number'] },
      ],
    );
    expect(widths).toEqual([6, 60, 82, 21]);
  });
});
