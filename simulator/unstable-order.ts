/**
 * The `unstableOrder` fault: rows that the request's sort leaves tied (all of
 * them when it gives no sort) come in a new order on every request, as a
 * database without an explicit order is free to return them. This is why
 * data-api.md says to page under an explicit, stable sort: a reader whose
 * order has ties sees rows move between pages, and misses or repeats some.
 */
import type { MgfCallRow } from './columns.ts';
import { type SortItem, type SortKey, sortKey } from './query.ts';
import type { Selection } from './store.ts';

/** What the shuffle needs of the store: the entry at a position and its row. */
export interface OrderedRows {
  ridAt(position: number): number;
  row(entry: number): MgfCallRow;
}

/** A small deterministic generator (mulberry32): one stream per request. */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function sameKey(key: SortKey, i: number, j: number): boolean {
  const a = key.values[i] ?? null;
  const b = key.values[j] ?? null;
  const aNull = a === null || (typeof a === 'number' && Number.isNaN(a));
  const bNull = b === null || (typeof b === 'number' && Number.isNaN(b));
  return aNull || bNull ? aNull && bNull : a === b;
}

/**
 * The selection in this request's order: the same sort, every run of tied rows
 * shuffled with `seed`. Returns a list of store positions.
 */
export function unstablePositions(
  store: OrderedRows,
  sel: Selection,
  sort: readonly SortItem[],
  seed: number,
): Selection {
  const n = sel.hi - sel.lo;
  const positions = new Int32Array(n);
  for (let i = 0; i < n; i++) positions[i] = sel.positions ? (sel.positions[i] as number) : sel.lo + i;
  const rows = Array.from(positions, (p) => store.row(store.ridAt(p)));
  const keys = sort.map((item) => sortKey(item, rows));
  const next = random(seed * 2654435761);
  let runStart = 0;
  for (let i = 1; i <= n; i++) {
    const tied = i < n && keys.every((k) => sameKey(k, i - 1, i));
    if (tied) continue;
    // Fisher–Yates over positions[runStart .. i)
    for (let j = i - 1; j > runStart; j--) {
      const k = runStart + Math.floor(next() * (j - runStart + 1));
      const t = positions[j] as number;
      positions[j] = positions[k] as number;
      positions[k] = t;
    }
    runStart = i;
  }
  return { lo: 0, hi: n, positions };
}
