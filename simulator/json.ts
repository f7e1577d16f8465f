/**
 * Fast UTF-8 JSON for simulator rows, written straight into bytes.
 *
 * `JSON.stringify` of a row full of Cyrillic labels runs at ~200 MB/s and then
 * the string still has to be encoded; a million rows is ~1.2 GB. Rows are
 * mostly made of a small vocabulary (labels, names, line notes) and ASCII
 * (ids, dates, phones, durations), so this writer:
 * - copies precomputed bytes for keys, for frozen objects (the generator's
 *   shared labels, employee lists and tags: a frozen object cannot change) and
 *   for non-ASCII strings (a bounded cache: names and labels repeat);
 * - writes ASCII strings and numbers byte by byte, with no intermediate strings.
 * Anything else (unknown objects, strings needing escapes) goes through
 * `JSON.stringify`, so the output is always the same JSON.
 */
import type { ColumnName, MgfCallRow } from './columns.ts';

const frozenBytes = new WeakMap<object, Uint8Array>();
const stringBytes = new Map<string, Uint8Array>();
const STRING_CACHE_MAX = 200_000;
const keyBytes = new Map<string, Uint8Array>();

const NULL = Buffer.from('null');
const TRUE = Buffer.from('true');
const FALSE = Buffer.from('false');

function encodedJson(value: unknown): Uint8Array {
  return Buffer.from(JSON.stringify(value) ?? 'null');
}

/** A growable byte buffer with JSON writers. */
export class JsonWriter {
  buf: Buffer;
  pos = 0;

  /** Writes into `buffer` when given (e.g. one from a pool), else into a new one. */
  constructor(initialBytes = 64 * 1024, buffer?: Buffer) {
    this.buf = buffer && buffer.length >= initialBytes ? buffer : Buffer.allocUnsafe(initialBytes);
  }

  reset(): void {
    this.pos = 0;
  }

  /** The bytes written so far (a view, valid until the next write). */
  view(): Buffer {
    return this.buf.subarray(0, this.pos);
  }

  /** Makes room for `extra` more bytes. */
  ensure(extra: number): void {
    const need = this.pos + extra;
    if (need <= this.buf.length) return;
    let size = this.buf.length * 2;
    while (size < need) size *= 2;
    const next = Buffer.allocUnsafe(size);
    this.buf.copy(next, 0, 0, this.pos);
    this.buf = next;
  }

  /** Appends `src[start..end)`. */
  copyFrom(src: Buffer, start: number, end: number): void {
    this.ensure(end - start);
    this.pos += src.copy(this.buf, this.pos, start, end);
  }

  byte(b: number): void {
    this.ensure(1);
    this.buf[this.pos++] = b;
  }

  bytes(src: Uint8Array): void {
    const n = src.length;
    this.ensure(n);
    const buf = this.buf;
    let pos = this.pos;
    if (n < 48) {
      for (let i = 0; i < n; i++) buf[pos++] = src[i] as number;
    } else {
      buf.set(src, pos);
      pos += n;
    }
    this.pos = pos;
  }

  /** Text already known to be JSON (e.g. a head or tail of an answer). */
  raw(text: string): void {
    this.ensure(Buffer.byteLength(text));
    this.pos += this.buf.write(text, this.pos, 'utf8');
  }

  string(s: string): void {
    const n = s.length;
    this.ensure(n + 2);
    const buf = this.buf;
    const start = this.pos;
    let pos = start;
    buf[pos++] = 0x22;
    for (let i = 0; i < n; i++) {
      const c = s.charCodeAt(i);
      if (c < 0x20 || c === 0x22 || c === 0x5c || c >= 0x80) {
        // Not plain ASCII: use (and remember) its full JSON encoding instead.
        this.pos = start;
        this.nonAscii(s);
        return;
      }
      buf[pos++] = c;
    }
    buf[pos++] = 0x22;
    this.pos = pos;
  }

  private nonAscii(s: string): void {
    let bytes = stringBytes.get(s);
    if (bytes === undefined) {
      bytes = encodedJson(s);
      if (stringBytes.size < STRING_CACHE_MAX) stringBytes.set(s, bytes);
    }
    this.bytes(bytes);
  }

  number(n: number): void {
    if (!Number.isFinite(n)) {
      this.bytes(NULL);
      return;
    }
    const s = String(n);
    this.ensure(s.length);
    for (let i = 0; i < s.length; i++) this.buf[this.pos++] = s.charCodeAt(i);
  }

  key(k: string): void {
    let bytes = keyBytes.get(k);
    if (bytes === undefined) {
      bytes = Buffer.from(`${JSON.stringify(k)}:`);
      keyBytes.set(k, bytes);
    }
    this.bytes(bytes);
  }

  /** Any JSON value, with `JSON.stringify`'s output. */
  value(v: unknown): void {
    if (v === null || v === undefined) this.bytes(NULL);
    else if (typeof v === 'string') this.string(v);
    else if (typeof v === 'number') this.number(v);
    else if (typeof v === 'boolean') this.bytes(v ? TRUE : FALSE);
    else if (typeof v === 'object') this.object(v);
    else this.bytes(encodedJson(v));
  }

  private object(v: object): void {
    const known = frozenBytes.get(v);
    if (known !== undefined) {
      this.bytes(known);
    } else if (Object.isFrozen(v)) {
      const bytes = encodedJson(v);
      frozenBytes.set(v, bytes);
      this.bytes(bytes);
    } else if (Array.isArray(v)) {
      this.byte(0x5b);
      for (let i = 0; i < v.length; i++) {
        if (i > 0) this.byte(0x2c);
        this.value(v[i]);
      }
      this.byte(0x5d);
    } else if (Object.getPrototypeOf(v) !== Object.prototype || 'toJSON' in v) {
      this.bytes(encodedJson(v));
    } else {
      this.byte(0x7b);
      let first = true;
      for (const k of Object.keys(v)) {
        const item = (v as Record<string, unknown>)[k];
        if (item === undefined || typeof item === 'function' || typeof item === 'symbol') continue;
        if (!first) this.byte(0x2c);
        first = false;
        this.key(k);
        this.value(item);
      }
      this.byte(0x7d);
    }
  }
}

/**
 * Writes rows projected onto `fields`, keys in that order; a column the row
 * lacks is written as `null`, as the API always sends every requested key.
 */
export function rowWriter(fields: readonly ColumnName[]): (w: JsonWriter, row: MgfCallRow) => void {
  const prefixes = fields.map((f, i) => Buffer.from(`${i === 0 ? '{' : ','}${JSON.stringify(f)}:`));
  const n = fields.length;
  return (w, row) => {
    if (n === 0) {
      w.raw('{}');
      return;
    }
    for (let i = 0; i < n; i++) {
      w.bytes(prefixes[i] as Buffer);
      w.value(row[fields[i] as ColumnName]);
    }
    w.byte(0x7d);
  };
}

const CHUNK_BYTES = 16 * 1024 * 1024;
/** Offsets are Int32: keep a chunk below 2 GiB. */
const MAX_CHUNK_BYTES = 1536 * 1024 * 1024;
/** Room reserved per expected row (generated rows average ~1.2 KB). */
const RESERVE_PER_ROW = 1536;

/**
 * UTF-8 JSON of whole rows, cached by a stable row number. Bytes live in large
 * off-heap chunks (a million rows of Cyrillic text would be ~2 GB as JS strings,
 * ~1.2 GB here), so a page of full rows is a series of memory copies.
 *
 * The first chunk is sized for every row expected, in one allocation: V8 counts
 * off-heap memory and starts a full GC each time it grows by ~64 MB, which on
 * the heap of a million rows costs far more than the serialisation itself.
 * Untouched pages of that allocation cost no real memory.
 */
export class RowJsonCache {
  private readonly write: (w: JsonWriter, row: MgfCallRow) => void;
  private readonly scratch = new JsonWriter();
  private chunks: Buffer[] = [];
  private current: Buffer | null = null;
  private used = 0;
  /** Per row number: chunk index + 1 (0 = not cached yet), offset, byte length. */
  private chunkOf = new Int32Array(1024);
  private offsetOf = new Int32Array(1024);
  private lengthOf = new Int32Array(1024);

  constructor(fields: readonly ColumnName[]) {
    this.write = rowWriter(fields);
  }

  /** Bytes held. */
  get bytes(): number {
    return this.chunks.length === 0 ? 0 : (this.chunks.length - 1) * CHUNK_BYTES + this.used;
  }

  private grow(rid: number): void {
    let size = this.chunkOf.length;
    while (size <= rid) size *= 2;
    const grow = (a: Int32Array<ArrayBuffer>): Int32Array<ArrayBuffer> => {
      const b = new Int32Array(size);
      b.set(a);
      return b;
    };
    this.chunkOf = grow(this.chunkOf);
    this.offsetOf = grow(this.offsetOf);
    this.lengthOf = grow(this.lengthOf);
  }

  /** Rows the first chunk should make room for (set before the first `ensure`). */
  expectedRows = 0;

  /** Makes sure row `rid` is cached; returns its byte length. */
  ensure(rid: number, row: MgfCallRow): number {
    if (rid >= this.chunkOf.length) this.grow(rid);
    if (this.chunkOf[rid] !== 0) return this.lengthOf[rid] ?? 0;
    const w = this.scratch;
    w.reset();
    this.write(w, row);
    const length = w.pos;
    if (this.current === null || this.used + length > this.current.length) {
      const reserve =
        this.current === null ? Math.min(MAX_CHUNK_BYTES, this.expectedRows * RESERVE_PER_ROW) : 0;
      this.current = Buffer.allocUnsafe(Math.max(CHUNK_BYTES, length, reserve));
      this.chunks.push(this.current);
      this.used = 0;
    }
    w.buf.copy(this.current, this.used, 0, length);
    this.chunkOf[rid] = this.chunks.length;
    this.offsetOf[rid] = this.used;
    this.lengthOf[rid] = length;
    this.used += length;
    return length;
  }

  /** Appends row `rid` (already ensured) to `w`. */
  copyTo(rid: number, w: JsonWriter): void {
    const chunk = this.chunks[(this.chunkOf[rid] ?? 0) - 1];
    if (chunk === undefined) throw new Error(`row ${rid} is not cached`);
    const start = this.offsetOf[rid] ?? 0;
    w.copyFrom(chunk, start, start + (this.lengthOf[rid] ?? 0));
  }
}
