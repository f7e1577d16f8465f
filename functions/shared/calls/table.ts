/**
 * Calls kept compactly: a million `Call` objects take ~450 bytes each even
 * when they share their labels and lists (30 fields of 8 bytes, boxed numbers,
 * strings), ~0.45 GB for a year of a big call centre. A `CallTable` keeps the
 * same calls in columns of typed arrays, ~75 bytes a call with its record ids:
 *
 * - id and start: Float64; finish: Int32 seconds after the start;
 * - the four durations: Uint32 (0xFFFFFFFF for null);
 * - the client number: Float64 when it is plain digits without a leading zero
 *   (the usual `79161234567`), which gives the same text back; other texts are
 *   kept as they are, aside; its normal form is worked out again when read;
 * - everything else that repeats (direction, status, flags, labels, line, its
 *   comment, employees, coaches, tags) as one code of a "profile": the distinct
 *   combinations, a few tens of thousands in a year of a big centre;
 * - the rarer values (a rating, a comment and its author) aside, by position;
 * - record ids as UTF-8 in shared blocks.
 * Values that do not fit (never made by the normaliser: fractions of seconds,
 * a normal form that is not the number's) are kept aside exactly. The parts:
 * profiles.ts, record-ids.ts, phone.ts (numbers as numbers), table-view.ts.
 *
 * The table (and any view of it) is THE list of calls the report reads, through
 * one seam (`CallList`, call-list.ts): `each(fn)` hands every call, in order, to
 * `fn` in one record reused from call to call; `look(i)` reads one into it;
 * `at(i)` makes the Call anew to keep (its repeated values shared and frozen).
 * Each equals, field by field, the call pushed (test/unit/call-table.test.ts).
 * So the figures and the workbook hold no more than a few calls at once. Rows
 * live in chunks of 16 384: the table grows without copying, a small one is small.
 */
import { type Call, emptyCall } from './call.ts';
import type { CallList, CallVisitor } from './call-list.ts';
import { EMPTY_LIST, Interner } from './intern.ts';
import { digitsOf, normalDigits, normalisePhone, plainDigits } from './phone.ts';
import { type Profile, Profiles } from './profiles.ts';
import { RecordIds } from './record-ids.ts';
import { TableView } from './table-view.ts';

const SHIFT = 14;
const CHUNK = 1 << SHIFT;
const MASK = CHUNK - 1;
/** A duration that is null. */
const NO_SECONDS = 0xffffffff;
/** `contact` for a null number; NaN means "kept aside as text". */
const NO_CONTACT = -1;

/** `finish` for null, and for a finish kept aside (not whole seconds after the start). */
const NO_FINISH = -2_147_483_648;
const ODD_FINISH = -2_147_483_647;

interface Chunk {
  id: Float64Array;
  start: Float64Array;
  /** Seconds from start to finish (NO_FINISH, ODD_FINISH). */
  finish: Int32Array;
  contact: Float64Array;
  total: Uint32Array;
  wait: Uint32Array;
  talk: Uint32Array;
  mark: Uint32Array;
  profile: Uint32Array;
  /** Index of the row's first record id (see `RecordIds`). */
  records: Uint32Array;
}

function newChunk(): Chunk {
  return {
    id: new Float64Array(CHUNK),
    start: new Float64Array(CHUNK),
    finish: new Int32Array(CHUNK),
    contact: new Float64Array(CHUNK),
    total: new Uint32Array(CHUNK),
    wait: new Uint32Array(CHUNK),
    talk: new Uint32Array(CHUNK),
    mark: new Uint32Array(CHUNK),
    profile: new Uint32Array(CHUNK),
    records: new Uint32Array(CHUNK),
  };
}

/** Bytes of one chunk's columns. */
const CHUNK_BYTES = CHUNK * (3 * 8 + 7 * 4);

type DurationField = 'totalSeconds' | 'awaitSeconds' | 'talkSeconds' | 'processedMarkSeconds';

/** Values that do not fit their column (never made by the normaliser, kept exact anyway). */
interface Odd {
  durations?: Partial<Record<DurationField, number>>;
  contactNormal?: string | null;
  finish?: number;
}

function secondsCell(v: number | null): number {
  if (v === null) return NO_SECONDS;
  return Number.isInteger(v) && v >= 0 && v < NO_SECONDS && !Object.is(v, -0) ? v : -1;
}

export class CallTable implements CallList {
  readonly interner: Interner;
  readonly distinctIds: boolean;
  private readonly chunks: Chunk[] = [];
  private count = 0;
  private readonly profiles: Profiles;
  /** The profiles by code (`profiles.all`). */
  private readonly profileOf: Profile[];
  /** (comment code, author code) by note code; note 0 is (null, null). */
  private readonly notes: number[] = [0, 0];
  private readonly noteCodes = new Map<number, number>([[0, 0]]);
  /** The note of each call that has one (few do). */
  private readonly noteOf = new Map<number, number>();
  /** The rating of each call that has one (few do). */
  private readonly ratings = new Map<number, number>();
  private readonly recordIds = new RecordIds();
  private readonly contactTexts = new Map<number, string>();
  private readonly odd = new Map<number, Odd>();
  /** The record `each` and `look` fill. */
  private readonly record = emptyCall();

  /**
   * `distinctIds`: the caller promises that no two calls pushed share an id (a
   * fetch de-duplicates by id), which spares the figures a set of a million ids.
   */
  constructor(options: { interner?: Interner; distinctIds?: boolean } = {}) {
    this.interner = options.interner ?? new Interner();
    this.distinctIds = options.distinctIds ?? false;
    this.profiles = new Profiles(this.interner);
    this.profileOf = this.profiles.all;
  }

  /** A table holding these calls, in this order. */
  static from(calls: Iterable<Call>, options: { distinctIds?: boolean } = {}): CallTable {
    const t = new CallTable(options);
    for (const c of calls) t.push(c);
    return t;
  }

  get length(): number {
    return this.count;
  }

  push(c: Call): void {
    const i = this.count;
    const k = i & MASK;
    if (k === 0) this.chunks.push(newChunk());
    const ch = this.chunks[i >>> SHIFT] as Chunk;
    this.count++;
    ch.id[k] = c.id;
    ch.start[k] = c.start;
    if (c.rating !== null) this.ratings.set(i, c.rating);

    let odd: Odd | null = null;
    if (c.finish === null) ch.finish[k] = NO_FINISH;
    else {
      const seconds = (c.finish - c.start) / 1000;
      if (
        Number.isInteger(seconds) &&
        seconds > ODD_FINISH &&
        seconds < 2_147_483_648 &&
        Object.is(c.start + seconds * 1000, c.finish) // what `read` makes of it (not so for fractions of a millisecond)
      ) {
        ch.finish[k] = seconds;
      } else {
        ch.finish[k] = ODD_FINISH;
        odd = { finish: c.finish };
      }
    }
    const total = secondsCell(c.totalSeconds);
    const wait = secondsCell(c.awaitSeconds);
    const talk = secondsCell(c.talkSeconds);
    const mark = secondsCell(c.processedMarkSeconds);
    ch.total[k] = total < 0 ? NO_SECONDS : total;
    ch.wait[k] = wait < 0 ? NO_SECONDS : wait;
    ch.talk[k] = talk < 0 ? NO_SECONDS : talk;
    ch.mark[k] = mark < 0 ? NO_SECONDS : mark;
    if (total < 0 || wait < 0 || talk < 0 || mark < 0) {
      const durations: Partial<Record<DurationField, number>> = {};
      if (total < 0) durations.totalSeconds = c.totalSeconds as number;
      if (wait < 0) durations.awaitSeconds = c.awaitSeconds as number;
      if (talk < 0) durations.talkSeconds = c.talkSeconds as number;
      if (mark < 0) durations.processedMarkSeconds = c.processedMarkSeconds as number;
      odd ??= {};
      odd.durations = durations;
    }

    const number = c.contactNumber;
    let normal: string | null;
    if (number === null) {
      ch.contact[k] = NO_CONTACT;
      normal = null;
    } else if (plainDigits(number)) {
      ch.contact[k] = Number(number);
      normal = normalDigits(number);
    } else {
      ch.contact[k] = Number.NaN;
      this.contactTexts.set(i, number);
      normal = normalisePhone(number);
    }
    if (c.contactNormal !== normal) {
      odd ??= {};
      odd.contactNormal = c.contactNormal;
    }
    if (odd !== null) this.odd.set(i, odd);

    ch.profile[k] = this.profiles.code(c);
    if (c.comment !== null || c.commentAuthor !== null) {
      const s = this.interner;
      const noteKey = s.strCode(c.comment) * 67_108_864 + s.strCode(c.commentAuthor);
      let note = this.noteCodes.get(noteKey);
      if (note === undefined) {
        note = this.notes.length / 2;
        this.notes.push(s.strCode(c.comment), s.strCode(c.commentAuthor));
        this.noteCodes.set(noteKey, note);
      }
      this.noteOf.set(i, note);
    }

    ch.records[k] = this.recordIds.count;
    for (let r = 0; r < c.records.length; r++) this.recordIds.push(c.records[r] as string);
  }

  each(fn: CallVisitor, from = 0): number {
    const record = this.record;
    for (let i = from; i < this.count; i++) if (fn(this.read(i, record), i) === true) return i + 1;
    return this.count;
  }

  look(i: number): Call {
    return this.read(this.checked(i), this.record);
  }

  at(i: number): Call {
    return this.read(this.checked(i), emptyCall());
  }

  /** `i`, when the table has a call there. */
  private checked(i: number): number {
    if (i >= 0 && i < this.count && Number.isInteger(i)) return i;
    throw new RangeError(`No call at ${i}: the table holds ${this.count}`);
  }

  /** Fills `into` with the call at `i` (0 ≤ i < length, unchecked) and returns it (for the table's views). */
  read(i: number, into: Call): Call {
    const ch = this.chunks[i >>> SHIFT] as Chunk;
    const k = i & MASK;
    const p = this.profileOf[ch.profile[k] as number] as Profile;
    const strings = this.interner.strings;
    const note = (this.noteOf.size > 0 ? (this.noteOf.get(i) ?? 0) : 0) * 2;

    const contact = ch.contact[k] as number;
    let contactNumber: string | null;
    let contactNormal: string | null;
    if (contact === NO_CONTACT) {
      contactNumber = null;
      contactNormal = null;
    } else if (!Number.isNaN(contact)) {
      contactNumber = digitsOf(contact);
      contactNormal = normalDigits(contactNumber);
    } else {
      contactNumber = this.contactTexts.get(i) as string;
      contactNormal = normalisePhone(contactNumber);
    }

    const first = ch.records[k] as number;
    const end = i + 1 < this.count ? this.recordStart(i + 1) : this.recordIds.count;
    const finish = ch.finish[k] as number;
    const start = ch.start[k] as number;
    const total = ch.total[k] as number;
    const wait = ch.wait[k] as number;
    const talk = ch.talk[k] as number;
    const mark = ch.mark[k] as number;
    const call = into;
    call.id = ch.id[k] as number;
    call.start = start;
    call.finish = finish === NO_FINISH ? null : start + finish * 1000;
    call.direction = p.direction;
    call.lost = p.lost;
    call.internal = p.internal;
    call.directionLabel = p.directionLabel;
    call.statusLabel = p.statusLabel;
    call.type = p.type;
    call.finishReason = p.finishReason;
    call.contactNumber = contactNumber;
    call.contactNormal = contactNormal;
    call.virtualNumber = p.virtualNumber;
    call.virtualNumberComment = p.virtualNumberComment;
    call.employees = p.employees;
    call.receivedCall = p.receivedCall;
    call.firstEmployeeInternal = p.firstEmployeeInternal;
    call.secondEmployeeInternal = p.secondEmployeeInternal;
    call.coaches = p.coaches;
    call.coachHandled = p.coachHandled;
    call.blacklisted = p.blacklisted;
    call.totalSeconds = total === NO_SECONDS ? null : total;
    call.awaitSeconds = wait === NO_SECONDS ? null : wait;
    call.talkSeconds = talk === NO_SECONDS ? null : talk;
    call.processedMarkSeconds = mark === NO_SECONDS ? null : mark;
    call.tags = p.tags;
    call.records = end === first ? EMPTY_LIST : this.recordIds.slice(first, end);
    call.rating = this.ratings.size > 0 ? (this.ratings.get(i) ?? null) : null;
    call.comment = strings[this.notes[note] as number] as string | null;
    call.commentAuthor = strings[this.notes[note + 1] as number] as string | null;
    if (this.odd.size > 0) {
      const odd = this.odd.get(i);
      if (odd !== undefined) {
        if (odd.durations) Object.assign(call, odd.durations);
        if (odd.contactNormal !== undefined) call.contactNormal = odd.contactNormal;
        if (odd.finish !== undefined) call.finish = odd.finish;
      }
    }
    return call;
  }

  private recordStart(i: number): number {
    return (this.chunks[i >>> SHIFT] as Chunk).records[i & MASK] as number;
  }

  /** `start` of the call at `i`, without making the call. */
  startAt(i: number): number {
    return (this.chunks[i >>> SHIFT] as Chunk).start[i & MASK] as number;
  }

  /** `id` of the call at `i`, without making the call. */
  idAt(i: number): number {
    return (this.chunks[i >>> SHIFT] as Chunk).id[i & MASK] as number;
  }

  /**
   * Positions of the calls with `from <= start <= till`, in table order, or
   * sorted by start then id when `sorted`.
   */
  select(from: number, till: number, sorted = false): Uint32Array {
    let n = 0;
    for (let i = 0; i < this.count; i++) {
      const s = this.startAt(i);
      if (s >= from && s <= till) n++;
    }
    const out = new Uint32Array(n);
    n = 0;
    for (let i = 0; i < this.count; i++) {
      const s = this.startAt(i);
      if (s >= from && s <= till) out[n++] = i;
    }
    if (sorted) this.sortByStart(out);
    return out;
  }

  /** Positions of the calls that start up to `t` (inclusive) and after it, each in table order. */
  partition(t: number): { upTo: Uint32Array; after: Uint32Array } {
    let n = 0;
    for (let i = 0; i < this.count; i++) if (this.startAt(i) <= t) n++;
    const upTo = new Uint32Array(n);
    const after = new Uint32Array(this.count - n);
    let a = 0;
    let b = 0;
    for (let i = 0; i < this.count; i++) {
      if (this.startAt(i) <= t) upTo[a++] = i;
      else after[b++] = i;
    }
    return { upTo, after };
  }

  /** Sorts positions (in place) by the calls' start, then id. */
  sortByStart(positions: Uint32Array): Uint32Array {
    const before = (a: number, b: number): number =>
      this.startAt(a) - this.startAt(b) || this.idAt(a) - this.idAt(b);
    for (let j = 1; j < positions.length; j++) {
      if (before(positions[j - 1] as number, positions[j] as number) > 0) {
        positions.sort(before);
        break;
      }
    }
    return positions;
  }

  /** The calls at these positions, in this order, as a list. */
  view(positions: Uint32Array): CallList {
    return new TableView(this, positions);
  }

  /** What the table holds, for measuring: rows, profiles, and an estimate of its bytes. */
  footprint(): { rows: number; profiles: number; notes: number; bytes: number } {
    const s = this.interner;
    let text = 0;
    for (const str of s.strings) if (str !== null) text += 24 + str.length * 2;
    for (const t of this.contactTexts.values()) text += 64 + t.length * 2;
    const bytes =
      this.chunks.length * CHUNK_BYTES +
      this.profileOf.length * 200 +
      this.profiles.byteLength +
      this.notes.length * 8 +
      this.noteCodes.size * 40 +
      (this.noteOf.size + this.ratings.size) * 40 +
      this.recordIds.byteLength +
      s.labels.length * 150 +
      s.lists.length * 100 +
      text;
    return { rows: this.count, profiles: this.profileOf.length, notes: this.notes.length / 2, bytes };
  }
}
