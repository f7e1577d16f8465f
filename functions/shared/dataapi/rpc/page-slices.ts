/**
 * A page of rows, parsed a slice at a time.
 *
 * A page of 10 000 call rows is ~13 MB of UTF-8; as one string it is ~24 MB
 * (UTF-16: the labels are Cyrillic) and parsed ~15 MB more, all alive at once,
 * and most of it promoted to the old generation before it dies. Cutting the
 * `data` array into slices of ~32 KB (about 25 rows) and parsing one slice at
 * a time keeps only the bytes and one small slice alive, which dies young: a
 * year's fetch runs ~30 % faster and ~150 MB smaller.
 *
 * The cuts are found by a byte search for `},{` (a JSON scanner in JavaScript
 * would be slower than parsing): a cut that falls inside a row (in a string,
 * or between the objects of a nested list) leaves that slice unbalanced, which
 * fails to parse, and the slice is then extended to the next cut. The envelope
 * (everything but the rows) is parsed on its own, so a body that is not whole
 * JSON is found at once, as before, and a body of another shape is parsed whole.
 */
import { DataApiTransientError } from '../errors.ts';
import { bomLength } from './body-pool.ts';

export interface LazyData {
  /** The body with `result.data` empty. */
  envelope: unknown;
  slices: () => Generator<unknown[]>;
}

const DATA_KEY = Buffer.from('"data":');
const ROW_GAP = Buffer.from('},{');
/** Bytes of rows parsed at a time. */
const SLICE_BYTES = 1 << 15;
/** `]` tried from the end as the close of the `data` array. */
const CLOSE_TRIES = 8;

function isBlank(c: number | undefined): boolean {
  return c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09;
}

/** Splits a body into its envelope and its `data` rows, or null when it is not of that shape. */
export function splitData(body: Buffer): LazyData | null {
  const from = bomLength(body);
  const key = body.indexOf(DATA_KEY, from);
  if (key < 0) return null;
  let open = key + DATA_KEY.length;
  while (isBlank(body[open])) open++;
  if (body[open] !== 0x5b) return null;
  const head = body.toString('utf8', from, open + 1);
  let close = body.length;
  for (let tries = 0; tries < CLOSE_TRIES; tries++) {
    close = body.lastIndexOf(0x5d, close - 1);
    if (close <= open) return null;
    let envelope: unknown;
    try {
      envelope = JSON.parse(head + body.toString('utf8', close));
    } catch {
      continue;
    }
    const data = (envelope as { result?: { data?: unknown } } | null)?.result?.data;
    if (!Array.isArray(data) || data.length !== 0) return null;
    const end = close;
    return { envelope, slices: () => dataSlices(body, open + 1, end) };
  }
  return null;
}

/** The next cut after `from` (the end of a row, exclusive), or `end`. */
function nextCut(body: Buffer, from: number, end: number): number {
  const gap = body.indexOf(ROW_GAP, from);
  return gap >= 0 && gap < end ? gap + 1 : end;
}

/** The rows of `body[start..end)` (the inside of the data array), a slice at a time. */
function* dataSlices(body: Buffer, start: number, end: number): Generator<unknown[]> {
  let at = start;
  while (at < end) {
    let cut = end - at > SLICE_BYTES ? nextCut(body, at + SLICE_BYTES, end) : end;
    let rows: unknown;
    for (;;) {
      try {
        rows = JSON.parse(`[${body.toString('utf8', at, cut)}]`);
        break;
      } catch {
        if (cut >= end) {
          throw new DataApiTransientError('Data API: the rows of a page are not valid JSON', {
            mnemonic: 'bad_response',
            retryable: true,
          });
        }
        cut = nextCut(body, cut + 1, end); // the cut was inside a string: take the next one
      }
    }
    yield rows as unknown[];
    at = cut + 1; // past the comma
    while (at < end && isBlank(body[at])) at++;
  }
}
