/**
 * The simulator's call store: rows kept in start order, a binary search for a
 * date range, a small cache of query results, and the cached JSON of full rows.
 *
 * Each row gets a stable number (`rid`, its insertion index) that never changes;
 * `order` lists entries by (start, communication_id, twin rank, rid). A query
 * result is either a plain range of `order` (no filter, default order) or a list
 * of `order` positions; results are cached per (range, filter, sort) and dropped
 * whenever rows are added or the repeats change, because positions move.
 *
 * Repeats (data-api.md, "Paging": the API returns some calls twice, once with the
 * id as a number and once as a string, and counts both in `total_items`): with a
 * `RepeatRule`, chosen rows get a twin, held in `order` as the entry `~rid` (a
 * negative number). A twin is the same row with `communication_id` in the other
 * form (a string for a row whose id is a number, the number for one whose id is a
 * string), so the pair is always one number and one numeric string. It shares the
 * row's start and id, so it sits next to the row in every sort order; whether it
 * comes just before or just after is fixed per row (by a hash), so both forms
 * lead. Twins are made for rows added later too (drift). Rows that share an id in
 * the data themselves (a dataset file with repeats) are served as they are, each
 * counted, next to each other.
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

/** Which rows the store serves twice (see the header). */
export interface RepeatRule {
  /**
   * Share of rows, 0..1, served twice: evenly spread in insertion order, from the
   * first row on (row k has a twin when ⌊k·share⌋ > ⌊(k−1)·share⌋), so n rows get
   * ⌊(n−1)·share⌋ + 1 twins: any share above 0 repeats at least one row.
   */
  share: number;
  /** Rows with these `communication_id`s are served twice too. */
  ids: ReadonlySet<number>;
}

/**
 * The rule of the `repeatRows` / `repeatIds` fault switches, checked: null when
 * nothing is repeated. Throws a RangeError saying what is allowed.
 */
export function repeatRule(share: unknown, ids: unknown): RepeatRule | null {
  const s = share ?? 0;
  if (typeof s !== 'number' || !Number.isFinite(s) || s < 0 || s > 1) {
    throw new RangeError(
      `repeatRows must be a share of calls from 0 to 1 (e.g. 0.003: three in a thousand returned twice), got ${JSON.stringify(share)}`,
    );
  }
  const list = ids ?? [];
  if (!Array.isArray(list) || !list.every((id) => Number.isSafeInteger(id) && id >= 0)) {
    throw new RangeError(`repeatIds must be a list of communication_id numbers, got ${JSON.stringify(ids)}`);
  }
  if (s === 0 && list.length === 0) return null;
  return { share: s, ids: new Set(list as number[]) };
}

/** Whether a twin goes just before its row (else just after): a fixed bit per rid. */
function twinFirst(rid: number): boolean {
  return Math.imul(rid + 1, 0x9e3779b1) >>> 31 === 1;
}

export class CallStore {
  private readonly rowByRid: MgfCallRow[] = [];
  private readonly startByRid: number[] = [];
  private readonly idByRid: number[] = [];
  private order = new Int32Array(0);
  private maxIdValue = 0;
  private versionValue = 0;
  private repeat: RepeatRule | null = null;
  /** Twin rows by the rid of the row they repeat. */
  private readonly twins = new Map<number, MgfCallRow>();
  private repeatCount = 0;
  private readonly selections = new Map<string, Selection>();
  /** JSON of whole rows in FULL_FIELDS order, by rid (filled on first use). */
  readonly fullJson: RowJsonCache | null;

  constructor(
    rows: readonly MgfCallRow[] = [],
    options: { jsonCache?: boolean; repeat?: RepeatRule | null } = {},
  ) {
    this.fullJson = options.jsonCache === false ? null : new RowJsonCache(FULL_FIELDS);
    this.repeat = options.repeat ?? null;
    this.add(rows);
  }

  /** Rows served, twins included (what `total_items` counts over everything). */
  get size(): number {
    return this.order.length;
  }

  /** Twins served (rows repeated by the rule). */
  get repeats(): number {
    return this.repeatCount;
  }

  /** Bumped on every `add` and every change of the repeats. */
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
    const added: number[] = [];
    for (let rid = first; rid < this.rowByRid.length; rid++) {
      // In the order they sort to, so rows that come sorted stay a merge.
      if (!this.repeated(rid)) added.push(rid);
      else if (twinFirst(rid)) added.push(this.twinEntry(rid), rid);
      else added.push(rid, this.twinEntry(rid));
    }
    this.merge(Int32Array.from(added));
  }

  /** Serves the rows the rule chooses twice from now on (null: none); re-sorts only when it changed. */
  setRepeat(rule: RepeatRule | null): void {
    const same = (a: RepeatRule | null, b: RepeatRule | null): boolean =>
      a === b ||
      (a !== null &&
        b !== null &&
        a.share === b.share &&
        a.ids.size === b.ids.size &&
        [...a.ids].every((id) => b.ids.has(id)));
    if (same(rule, this.repeat)) return;
    this.repeat = rule;
    const base = this.order.filter((e) => e >= 0);
    this.order = base;
    this.repeatCount = 0;
    const twins: number[] = [];
    for (let rid = 0; rid < this.rowByRid.length; rid++)
      if (this.repeated(rid)) twins.push(this.twinEntry(rid));
    this.merge(Int32Array.from(twins));
  }

  private repeated(rid: number): boolean {
    const rule = this.repeat;
    if (rule === null) return false;
    if (rule.share > 0 && Math.floor(rid * rule.share) > Math.floor((rid - 1) * rule.share)) return true;
    return rule.ids.size > 0 && rule.ids.has(this.idByRid[rid] as number);
  }

  /** The order entry of `rid`'s twin, making the twin row on first use. */
  private twinEntry(rid: number): number {
    if (!this.twins.has(rid)) {
      const row = this.rowByRid[rid] as MgfCallRow;
      const id = row.communication_id;
      this.twins.set(rid, {
        ...row,
        communication_id: typeof id === 'number' ? String(id) : (this.idByRid[rid] as number),
      });
    }
    this.repeatCount++;
    return ~rid;
  }

  /** Order of entries: start, id, then a twin just before or after its row, then rid. */
  private readonly byStart = (a: number, b: number): number => {
    const ra = a < 0 ? ~a : a;
    const rb = b < 0 ? ~b : b;
    const rank = (e: number, rid: number): number => (e >= 0 ? 0 : twinFirst(rid) ? -1 : 1);
    return (
      (this.startByRid[ra] ?? 0) - (this.startByRid[rb] ?? 0) ||
      (this.idByRid[ra] ?? 0) - (this.idByRid[rb] ?? 0) ||
      ra - rb ||
      rank(a, ra) - rank(b, rb)
    );
  };

  /** Merges entries (any order) into `order`. */
  private merge(added: Int32Array): void {
    const byStart = this.byStart;
    if (!isSorted(added, byStart)) added.sort(byStart);
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

  /** All rows served, twins included, in start order (a new array). */
  sortedRows(): MgfCallRow[] {
    const out: MgfCallRow[] = new Array(this.order.length);
    for (let p = 0; p < this.order.length; p++) out[p] = this.row(this.order[p] as number);
    return out;
  }

  /** Fills the full-row JSON cache for every row. */
  warmFullJson(): void {
    const cache = this.fullJson;
    if (cache === null) return;
    for (let rid = 0; rid < this.rowByRid.length; rid++) cache.ensure(rid, this.rowByRid[rid] as MgfCallRow);
  }

  /** The entry at a position of the order: a rid, or (negative) a twin's entry. */
  ridAt(position: number): number {
    return this.order[position] as number;
  }

  /** The row of an entry (`ridAt`): a stored row or a twin. */
  row(entry: number): MgfCallRow {
    return (entry >= 0 ? this.rowByRid[entry] : this.twins.get(~entry)) as MgfCallRow;
  }

  /** First position whose start is >= ms (or > ms when `after`). */
  private bound(ms: number, after: boolean): number {
    let lo = 0;
    let hi = this.order.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      const e = this.order[mid] as number;
      const s = this.startByRid[e < 0 ? ~e : e] as number;
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
      for (let p = lo; p < hi; p++) if (filter(this.row(this.order[p] as number))) hits.push(p);
      positions = Int32Array.from(hits);
    }
    if (q.sort.length > 0 && positions.length > 1) {
      const rows = Array.from(positions, (p) => this.row(this.order[p] as number));
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
