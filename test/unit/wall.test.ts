/**
 * One wall-clock parser: time.ts's `parseWall` (and its exact shapes
 * `parseWallDate`, `parseWallDateTime`) is the rule, dataapi/wall.ts's `wallMs`
 * its speed-optimised twin for the API's rows. Generated texts, near the shape
 * and far from it, prove the twin gives the same instant, or NaN exactly where
 * the rule gives null.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { wallMs } from '../../functions/shared/dataapi/wall.ts';
import { parseWall, parseWallDate, parseWallDateTime } from '../../functions/shared/time.ts';

const pad = (n: number, width: number) => String(n).padStart(width, '0');

/** Two characters: mostly in range, often at or just past its edges, sometimes not two digits at all. */
const part = (min: number, max: number) =>
  fc.oneof(
    { weight: 8, arbitrary: fc.integer({ min, max }).map((n) => pad(n, 2)) },
    { weight: 4, arbitrary: fc.constantFrom(min - 1, min, max, max + 1).map((n) => pad(Math.max(n, 0), 2)) },
    { weight: 2, arbitrary: fc.integer({ min: 0, max: 99 }).map((n) => pad(n, 2)) },
    { weight: 1, arbitrary: fc.constantFrom('', '1', '123', ' 1', '1a', '٣٣', '１２', '-1', '+1') },
  );

const year = fc.oneof(
  { weight: 8, arbitrary: fc.integer({ min: 1990, max: 2100 }).map((n) => pad(n, 4)) },
  { weight: 2, arbitrary: fc.integer({ min: 0, max: 9999 }).map((n) => pad(n, 4)) },
  { weight: 1, arbitrary: fc.constantFrom('202', '20245', '2O24', '+024') },
);

const sep = (...usual: string[]) =>
  fc.oneof(
    { weight: 12, arbitrary: fc.constantFrom(...usual) },
    { weight: 1, arbitrary: fc.constantFrom('-', ':', ' ', 'T', 't', '/', '.', '_', '') },
  );

/** Texts shaped like `YYYY-MM-DD hh:mm:ss`, every part and separator possibly wrong. */
const nearWall = fc
  .tuple(
    year,
    sep('-'),
    part(1, 12),
    sep('-'),
    part(1, 31),
    sep(' ', 'T'),
    part(0, 23),
    sep(':'),
    part(0, 59),
    sep(':'),
    part(0, 59),
  )
  .map((parts) => parts.join(''));

const sameAsRule = (text: string) => {
  expect(Object.is(wallMs(text), parseWallDateTime(text) ?? Number.NaN)).toBe(true);
};

describe('the wall-clock parser and its fast twin', () => {
  it('wallMs gives parseWallDateTime’s instant for every text near the API’s shape', () => {
    fc.assert(
      fc.property(nearWall, (text) => sameAsRule(text)),
      { numRuns: 20_000 },
    );
  });

  it('wallMs gives NaN wherever parseWallDateTime gives null, for any text', () => {
    fc.assert(
      fc.property(fc.string({ minLength: 0, maxLength: 25 }), (text) => sameAsRule(text)),
      { numRuns: 5_000 },
    );
  });

  it('agrees on the edges: leap days, the last second of a day, impossible dates and times', () => {
    for (const text of [
      '2024-02-29 23:59:59',
      '2023-02-29 00:00:00',
      '2024-04-31 12:00:00',
      '2024-12-31T23:59:59',
      '2024-10-21 24:00:00',
      '2024-10-21 23:60:00',
      '2024-00-10 10:00:00',
      '2024-10-00 10:00:00',
      '0000-01-01 00:00:00',
      '2024-10-21',
      '2024-10-21 16:08:19 ',
    ]) {
      sameAsRule(text);
    }
    expect(wallMs('2024-10-21 16:08:19')).toBe(Date.UTC(2024, 9, 21, 16, 8, 19));
  });

  it('parseWallDate and parseWallDateTime are parseWall held to one shape each', () => {
    fc.assert(
      fc.property(
        fc.oneof(
          nearWall,
          nearWall.map((t) => t.slice(0, 10)),
          fc.string(),
        ),
        (text) => {
          expect(parseWallDate(text)).toBe(text.length === 10 ? parseWall(text) : null);
          expect(parseWallDateTime(text)).toBe(text.length === 19 ? parseWall(text) : null);
        },
      ),
      { numRuns: 5_000 },
    );
    expect(parseWallDate('2024-10-21')).toBe(Date.UTC(2024, 9, 21));
    expect(parseWallDate('2024-10-21 00:00:00')).toBeNull();
    expect(parseWallDateTime('2024-10-21')).toBeNull();
  });
});
