/**
 * The simulator's call store: rows kept in start order, a binary search for a
 * date range, a small cache of query results, and the cached JSON of full rows.
 *
 * Each row gets a stable number (`rid`, its insertion index) that never changes;
 * `order` lists rids by (start, communication_id, rid). A query result is either
 * a plain range of `order` (no filter, default order) or a list of `order`
 * positions; results are cached per (range, filter, sort) and dropped whenever
 * rows are added, because positions move.
 */
import { parseWall } from '../functions/shared/time.ts';
import { FULL_FIELDS, type MgfCallRow } from './columns.ts';
import { RowJsonCache } from './json.ts';
import { compareByKeys, type MgfQuery, sortKey } from './query.ts';

/** The rows a query selects, in answer order: positions `lo..hi-1` of the store's order, or a list of positions. */
export type Selection =
  | { lo: number; hi: number; positions: null }
  | { lo: 0; hi: number; positions: Int32Array };

const dayCache = new Map<string, number>();

function digit(s: string, i: number): number {
  const d = s.charCodeAt(i) - 48;
  return d >= 0 && d <= 9 ? d : Number.NaN;
}

/** Wall-clock start of a row in ms "as if UTC", or null when it has none. A fast path for `YYYY-MM-DD hh:mm:ss`. */
export function rowStartMs(row: MgfCallRow): number | null {
  let s: unknown = row.call_start_date_time;
  if (typeof s !== 'string' || s.length !== 19) {
    if (typeof row.call_start_date !== 'string' || typeof row.call_start_time !== 'string') return null;
    s = `${row.call_start_date} ${row.call_start_time}`;
  }
  const text = s as string;
  const date = text.slice(0, 10);
  let day = dayCache.get(date);
  if (day === undefined) {
    const parsed = parseWall(date);
    if (parsed === null) return null;
    day = parsed;
    dayCache.set(date, day);
  }
  const h = digit(text, 11) * 10 + digit(text, 12);
  const m = digit(text, 14) * 10 + digit(text, 15);
  const sec = digit(text, 17) * 10 + digit(text, 18);
  if (!(h < 24 && m < 60 && sec < 60)) return null; // also false for NaN
  return day + ((h * 60 + m) * 60 + sec) * 1000;
}

function rowIdNumber(row: MgfCallRow): number {
  const v = row.communication_id;
  const n = typeof v === 'number' ? v : typeof v === 'string' && v.trim() !== '' ? Number(v) : Number.NaN;
  return n;
}

const CACHE_ENTRIES = 16;

export class CallStore {
  private readonly rowByRid: MgfCallRow[] = [];
  private readonly startByRid: number[] = [];
  private readonly idByRid: number[] = [];
  private order = new Int32Array(0);
  private maxIdValue = 0;
  private versionValue = 0;
  private readonly selections = new Map<string, Selection>();
  /** JSON of whole rows in FULL_FIELDS order, by rid (filled on first use). */
  readonly fullJson: RowJsonCache | null;

  constructor(rows: readonly MgfCallRow[] = [], options: { jsonCache?: boolean } = {}) {
    this.fullJson = options.jsonCache === false ? null : new RowJsonCache(FULL_FIELDS);
    this.add(rows);
  }

  get size(): number {
    return this.order.length;
  }

  /** Bumped on every `add`. */
  get version(): number {
    return this.versionValue;
  }

  /** The highest numeric `communication_id` held (0 when empty). */
  get maxId(): number {
    return this.maxIdValue;
  }

  /** Adds rows (any order); throws a RangeError for a row without a start time or a numeric id. */
  add(rows: readonly MgfCallRow[]): void {
    if (rows.length === 0) return;
    const first = this.rowByRid.length;
    for (const row of rows) {
      const start = rowStartMs(row);
      const id = rowIdNumber(row);
      if (start === null)
        throw new RangeError(
          `Row without a valid call_start_date_time: ${JSON.stringify(row).slice(0, 200)}`,
        );
      if (!Number.isFinite(id))
        throw new RangeError(`Row without a numeric communication_id: ${JSON.stringify(row).slice(0, 200)}`);
      this.rowByRid.push(row);
      this.startByRid.push(start);
      this.idByRid.push(id);
      if (id > this.maxIdValue) this.maxIdValue = id;
    }
    const byStart = (a: number, b: number): number =>
      (this.startByRid[a] ?? 0) - (this.startByRid[b] ?? 0) ||
      (this.idByRid[a] ?? 0) - (this.idByRid[b] ?? 0) ||
      a - b;
    const added = new Int32Array(rows.length);
    for (let i = 0; i < rows.length; i++) added[i] = first + i;
    if (!isSorted(added, byStart)) added.sort(byStart);
    // Merge the (sorted) new rids into the existing order.
    const old = this.order;
    const merged = new Int32Array(old.length + added.length);
    let i = 0;
    let j = 0;
    let k = 0;
    while (i < old.length && j < added.length) {
      const a = old[i] as number;
      const b = added[j] as number;
      if (byStart(a, b) <= 0) {
        merged[k++] = a;
        i++;
      } else {
        merged[k++] = b;
        j++;
      }
    }
    while (i < old.length) merged[k++] = old[i++] as number;
    while (j < added.length) merged[k++] = added[j++] as number;
    this.order = merged;
    if (this.fullJson && this.fullJson.bytes === 0) this.fullJson.expectedRows = merged.length;
    this.versionValue++;
    this.selections.clear();
  }

  /** All rows in start order (a new array). */
  sortedRows(): MgfCallRow[] {
    const out: MgfCallRow[] = new Array(this.order.length);
    for (let p = 0; p < this.order.length; p++) out[p] = this.rowByRid[this.order[p] as number] as MgfCallRow;
    return out;
  }

  /** Fills the full-row JSON cache for every row. */
  warmFullJson(): void {
    const cache = this.fullJson;
    if (cache === null) return;
    for (let rid = 0; rid < this.rowByRid.length; rid++) cache.ensure(rid, this.rowByRid[rid] as MgfCallRow);
  }

  ridAt(position: number): number {
    return this.order[position] as number;
  }

  row(rid: number): MgfCallRow {
    return this.rowByRid[rid] as MgfCallRow;
  }

  /** First position whose start is >= ms (or > ms when `after`). */
  private bound(ms: number, after: boolean): number {
    let lo = 0;
    let hi = this.order.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      const s = this.startByRid[this.order[mid] as number] as number;
      if (s < ms || (after && s === ms)) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  /** Positions of rows with fromMs <= start <= tillMs: [lo, hi). */
  range(fromMs: number, tillMs: number): { lo: number; hi: number } {
    return { lo: this.bound(fromMs, false), hi: this.bound(tillMs, true) };
  }

  /** The rows a query selects, in answer order; cached until rows are added. */
  select(q: Pick<MgfQuery, 'fromMs' | 'tillMs' | 'filter' | 'filterKey' | 'sort'>): Selection {
    const key = `${q.fromMs}|${q.tillMs}|${q.filterKey}|${JSON.stringify(q.sort)}`;
    const cached = this.selections.get(key);
    if (cached) {
      // Refresh its place in the LRU order.
      this.selections.delete(key);
      this.selections.set(key, cached);
      return cached;
    }
    const selection = this.compute(q);
    this.selections.set(key, selection);
    if (this.selections.size > CACHE_ENTRIES) {
      const oldest = this.selections.keys().next().value;
      if (oldest !== undefined) this.selections.delete(oldest);
    }
    return selection;
  }

  private compute(q: Pick<MgfQuery, 'fromMs' | 'tillMs' | 'filter' | 'sort'>): Selection {
    const { lo, hi } = this.range(q.fromMs, q.tillMs);
    if (q.filter === null && q.sort.length === 0) return { lo, hi, positions: null };
    let positions: Int32Array;
    if (q.filter === null) {
      positions = new Int32Array(hi - lo);
      for (let p = lo; p < hi; p++) positions[p - lo] = p;
    } else {
      const hits: number[] = [];
      const filter = q.filter;
      for (let p = lo; p < hi; p++)
        if (filter(this.rowByRid[this.order[p] as number] as MgfCallRow)) hits.push(p);
      positions = Int32Array.from(hits);
    }
    if (q.sort.length > 0 && positions.length > 1) {
      const rows = Array.from(positions, (p) => this.rowByRid[this.order[p] as number] as MgfCallRow);
      const keys = q.sort.map((item) => sortKey(item, rows));
      const idx = new Int32Array(positions.length);
      for (let i = 0; i < idx.length; i++) idx[i] = i;
      const cmp = (i: number, j: number): number => compareByKeys(keys, i, j);
      // Generated data is usually already in the asked order (e.g. by communication_id): skip the sort then.
      if (!isSorted(idx, cmp)) {
        idx.sort(cmp);
        const unsorted = positions;
        positions = Int32Array.from(idx, (i) => unsorted[i] as number);
      }
    }
    return { lo: 0, hi: positions.length, positions };
  }
}

function isSorted(a: Int32Array, cmp: (x: number, y: number) => number): boolean {
  for (let i = 1; i < a.length; i++) if (cmp(a[i - 1] as number, a[i] as number) > 0) return false;
  return true;
}
