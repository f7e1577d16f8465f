/**
 * Turns raw `get.mgf_calls` rows, in any of the shapes docs/data-api.md lists, into
 * typed `Call`s, and keeps account of what could not be read.
 *
 * A row is rejected only when what a call cannot exist without (id, start,
 * direction, status) cannot be read: `RowNormaliser` counts those rows and
 * keeps their reasons (and, when strict, throws). Any other part of a row that
 * does not fit (a tag without `id`, an odd duration...) is dropped or defaulted
 * and the call kept; the normaliser counts those parts by reason
 * (`droppedParts`). Decisions are made on ids (`value_id`), labels are kept for
 * display. What is accepted is defined by the schema reading (`schema.ts`);
 * the fast row path (`fast.ts`) reads the common shapes the same way,
 * faster, and leaves everything else to the schema.
 */
import type { Call } from '../call.ts';
import { EMPTY_LIST, type Interner, sharedFields } from '../intern.ts';
import { fastCall } from './fast.ts';
import { type NormaliseResult, schemaRow } from './schema.ts';

export type { NormaliseResult } from './schema.ts';
export { schemaRow } from './schema.ts';

/** Normalises one raw row; never throws. With an interner, repeated values are shared (frozen) objects. */
export function normaliseRow(row: unknown, interner?: Interner): NormaliseResult {
  const dropped: string[] = [];
  const fast = fastCall(row, interner ?? null, dropped);
  if (fast !== null) return { ok: true, call: fast, dropped };
  const r = schemaRow(row);
  return r.ok && interner ? { ...r, call: share(r.call, interner) } : r;
}

export interface RejectedRow {
  id: string | null;
  reason: string;
}

/** Parts of calls that were dropped or defaulted for one reason (the calls themselves were kept). */
export interface DroppedPart {
  /** "<column>: <what was wrong>; <what was done>". */
  reason: string;
  count: number;
  /** The first call it happened to (to look it up in the account). */
  firstCallId: number;
}

export class UnreadableRowsError extends Error {
  readonly rejected: RejectedRow[];
  constructor(rejected: RejectedRow[]) {
    const first = rejected[0];
    super(
      `${rejected.length} call row(s) could not be understood (strict mode); first: call ${first?.id ?? '?'}: ${first?.reason ?? ''}`,
    );
    this.name = 'UnreadableRowsError';
    this.rejected = rejected;
  }
}

/**
 * Normalises rows page by page, keeping the count and reasons of the rows it
 * could not read, and the parts of calls it dropped, by reason.
 */
export class RowNormaliser {
  readonly rejected: RejectedRow[] = [];
  /** Rejections beyond this many are counted but their reasons not kept. */
  private readonly keep: number;
  rejectedCount = 0;
  /** In the order first seen. The reasons are a fixed set (no values in them), so the list stays short. */
  readonly droppedParts: DroppedPart[] = [];
  private readonly droppedByReason = new Map<string, DroppedPart>();
  /** The fast path's dropped parts of one row. */
  private readonly scratch: string[] = [];
  private readonly strict: boolean;
  /** Shares the repeated values of the calls it makes. */
  readonly interner: Interner | null;

  /** `strict`: the first row that cannot be read is fatal (dropped parts never are: their call is kept). */
  constructor(opts: { strict?: boolean; keepReasons?: number; interner?: Interner } = {}) {
    this.strict = opts.strict ?? false;
    this.keep = opts.keepReasons ?? 100;
    this.interner = opts.interner ?? null;
  }

  /** Dropped parts in all (the sum of `droppedParts` counts). */
  get droppedCount(): number {
    let n = 0;
    for (const p of this.droppedParts) n += p.count;
    return n;
  }

  /**
   * Hands each call of `rows` to `out` (an array to append to, or anything with
   * a `push(call)`, such as a `CallTable`); throws `UnreadableRowsError` in strict mode.
   */
  push(rows: readonly unknown[], out: { push(call: Call): unknown }): void {
    const interner = this.interner ?? undefined;
    const dropped = this.scratch;
    for (let i = 0; i < rows.length; i++) {
      const row = rows[i];
      dropped.length = 0;
      const fast = fastCall(row, this.interner, dropped);
      if (fast !== null) {
        out.push(fast);
        for (let d = 0; d < dropped.length; d++) this.countDropped(dropped[d] as string, fast.id);
        continue;
      }
      const r = schemaRow(row);
      if (r.ok) {
        out.push(interner ? share(r.call, interner) : r.call);
        for (const reason of r.dropped) this.countDropped(reason, r.call.id);
      } else {
        this.rejectedCount++;
        if (this.rejected.length < this.keep) this.rejected.push({ id: r.id, reason: r.reason });
        if (this.strict) throw new UnreadableRowsError([{ id: r.id, reason: r.reason }]);
      }
    }
  }

  private countDropped(reason: string, callId: number): void {
    const known = this.droppedByReason.get(reason);
    if (known) known.count++;
    else {
      const part = { reason, count: 1, firstCallId: callId };
      this.droppedByReason.set(reason, part);
      this.droppedParts.push(part);
    }
  }
}

/**
 * One line for people: how many parts of calls were dropped or defaulted and
 * why, the commonest reasons first (at most `max` of them).
 */
export function describeDroppedParts(parts: readonly DroppedPart[], max = 10): string {
  const total = parts.reduce((n, p) => n + p.count, 0);
  const sorted = [...parts].sort((a, b) => b.count - a.count || a.reason.localeCompare(b.reason));
  const shown = sorted.slice(0, max).map((p) => `${p.reason} (${p.count}×, first call ${p.firstCallId})`);
  if (sorted.length > max) shown.push(`and ${sorted.length - max} more reason(s)`);
  return `${total} part(s) of call rows could not be understood and were dropped or defaulted, the calls kept: ${shown.join('; ')}`;
}

/** The same call with its repeated values replaced by the interner's shared ones. */
function share(c: Call, s: Interner): Call {
  return {
    ...c,
    ...sharedFields(c, s),
    records: c.records.length === 0 ? EMPTY_LIST : c.records,
    comment: c.comment === null ? null : s.str(c.comment),
    commentAuthor: c.commentAuthor === null ? null : s.str(c.commentAuthor),
  };
}
