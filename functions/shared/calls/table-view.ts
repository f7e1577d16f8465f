/** Some calls of a `CallTable`, by position (`CallTable.view`). */
import { type Call, emptyCall } from './call.ts';
import type { CallList, CallVisitor } from './call-list.ts';

/** What a view reads of its table. */
export interface ViewedTable {
  readonly distinctIds: boolean;
  /** Fills `into` with the call at `i` (0 ≤ i < length, unchecked) and returns it. */
  read(i: number, into: Call): Call;
  /** The call at `i`, a new object. */
  at(i: number): Call;
}

/** Some calls of a table, by position. */
export class TableView implements CallList {
  private readonly table: ViewedTable;
  private readonly positions: Uint32Array;
  readonly distinctIds: boolean;
  /** The record `each` and `look` fill (its own: a view is read beside others). */
  private readonly record = emptyCall();

  constructor(table: ViewedTable, positions: Uint32Array) {
    this.table = table;
    this.positions = positions;
    this.distinctIds = table.distinctIds;
  }

  get length(): number {
    return this.positions.length;
  }

  each(fn: CallVisitor, from = 0): number {
    const { table, positions, record } = this;
    for (let i = from; i < positions.length; i++) {
      if (fn(table.read(positions[i] as number, record), i) === true) return i + 1;
    }
    return positions.length;
  }

  look(index: number): Call {
    return this.table.read(this.position(index), this.record);
  }

  at(index: number): Call {
    return this.table.at(this.position(index));
  }

  private position(index: number): number {
    const p = this.positions[index];
    if (p === undefined) throw new RangeError(`No call at ${index}: the view holds ${this.positions.length}`);
    return p;
  }
}
