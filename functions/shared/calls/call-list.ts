/**
 * The seam between the calls and the report: every list of calls the report
 * reads (a `CallTable`, or a view of one) is a `CallList`, read by `each` (a
 * pass, in order), `look` (one call, to look at) or `at` (one call, to keep).
 */
import type { Call } from './call.ts';

/** Looks at one call of a list (the list's reused record) and its index; returning `true` stops `each` there. */
export type CallVisitor = (call: Call, index: number) => unknown;

/**
 * The one list of calls: a `CallTable`, or a view of one (some of its calls, in
 * some order). Report code reads calls through this and nothing else.
 */
export interface CallList {
  readonly length: number;
  /** True when no two calls of the list (and of the lists it is used with) share an id. */
  readonly distinctIds: boolean;
  /**
   * Calls `fn` with each call from `from` (default 0) on, in order, and its
   * index, until `fn` returns true; returns the index after the last call
   * visited (`length` when it went through). The call is one record the list
   * reuses: the next call overwrites it (keep a call with `at`).
   */
  each(fn: CallVisitor, from?: number): number;
  /** The call at `index` (0 ≤ index < length) in the record `each` reuses: to look at, not to keep. */
  look(index: number): Call;
  /** The call at `index` (0 ≤ index < length), a new object to keep. */
  at(index: number): Call;
}
