/**
 * A call as the rest of the product sees it: one row of `get.mgf_calls`,
 * normalised from whatever shape the API sent (see docs/data-api.md).
 *
 * Times are the account's **wall clock** encoded as milliseconds "as if UTC":
 * `Date.UTC(y, m - 1, d, hh, mm, ss)` of the local date and time the API gave.
 * This is exactly what Excel wants (exceljs writes dates as UTC) and keeps
 * comparisons inside one report's time zone trivial. See `../time.ts`.
 *
 * Calls made by a `RowNormaliser` or a `CallTable` share their repeated values
 * (labels, lists of names, strings) with other calls, frozen: treat a Call and
 * everything in it as read-only.
 */
export interface Labelled {
  /** `value_id` as sent (stringified): decide on this. */
  id: string;
  /** `value` as sent: show this. */
  label: string;
}

export type Direction = 'in' | 'out';

export interface Call {
  /** `communication_id`. */
  id: number;
  /** Local wall-clock start, ms "as if UTC". */
  start: number;
  /** Local wall-clock finish, ms "as if UTC", or null when not given. */
  finish: number | null;
  direction: Direction;
  /** `call_status.value_id === 'lost'`. */
  lost: boolean;
  /** `call_is_internal` says internal. */
  internal: boolean;
  /** Direction and status as labelled by the API (for display). */
  directionLabel: string | null;
  statusLabel: string | null;
  type: Labelled | null;
  finishReason: Labelled | null;
  /** Client number as the API gave it. */
  contactNumber: string | null;
  /** Client number in normal form (see `phone.ts`), null when there is none. */
  contactNormal: string | null;
  virtualNumber: string | null;
  virtualNumberComment: string | null;
  /** Names as listed (a list may be shared between calls: never change it). */
  employees: readonly string[];
  receivedCall: string | null;
  firstEmployeeInternal: string | null;
  secondEmployeeInternal: string | null;
  coaches: readonly string[];
  coachHandled: Labelled | null;
  blacklisted: Labelled | null;
  /** Durations in whole seconds, null when the API gave none. */
  totalSeconds: number | null;
  awaitSeconds: number | null;
  talkSeconds: number | null;
  processedMarkSeconds: number | null;
  tags: readonly string[];
  records: readonly string[];
  rating: number | null;
  comment: string | null;
  commentAuthor: string | null;
}

/**
 * A call with every field empty (id 0, start 0; null, false, no names, coming
 * in): the one blank to fill in, such as the record a `CallTable` reads into.
 */
export function emptyCall(): Call {
  return {
    id: 0,
    start: 0,
    finish: null,
    direction: 'in',
    lost: false,
    internal: false,
    directionLabel: null,
    statusLabel: null,
    type: null,
    finishReason: null,
    contactNumber: null,
    contactNormal: null,
    virtualNumber: null,
    virtualNumberComment: null,
    employees: [],
    receivedCall: null,
    firstEmployeeInternal: null,
    secondEmployeeInternal: null,
    coaches: [],
    coachHandled: null,
    blacklisted: null,
    totalSeconds: null,
    awaitSeconds: null,
    talkSeconds: null,
    processedMarkSeconds: null,
    tags: [],
    records: [],
    rating: null,
    comment: null,
    commentAuthor: null,
  };
}
