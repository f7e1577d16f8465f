/**
 * Canonical values for the repeated parts of calls: a million calls of one
 * account name the same few lines, employees, labels and tags again and again.
 * An `Interner` hands out one shared, frozen object per distinct value (a
 * `Labelled`, a list of names, a string) and a small number (its code) for it,
 * so that calls can share them and a `CallTable` can store a code instead.
 *
 * One interner lives as long as one fetch (a `RowNormaliser`, a `CallTable`),
 * so what it remembers is bounded by what that fetch brought.
 */
import type { Call, Labelled } from './call.ts';

/** The shared empty list (frozen: nobody may push into it). */
export const EMPTY_LIST: readonly string[] = Object.freeze([]);

/** Code 0 means null in every kind of value. */
export const NULL_CODE = 0;

export class Interner {
  private readonly stringCodes = new Map<string, number>();
  /** By code; [0] is null. */
  readonly strings: (string | null)[] = [null];

  private readonly labelByText = new Map<string, Map<string, Labelled>>();
  private readonly labelCodes = new Map<Labelled, number>();
  /** By code; [0] is null. */
  readonly labels: (Labelled | null)[] = [null];

  /** Lists of one name, by that name; longer lists by their JSON. */
  private readonly singles = new Map<string, readonly string[]>();
  private readonly multiples = new Map<string, readonly string[]>();
  private readonly listCodes = new Map<readonly string[], number>();
  /** By code; [0] is the empty list (a list is never null). */
  readonly lists: (readonly string[])[] = [EMPTY_LIST];

  constructor() {
    this.listCodes.set(EMPTY_LIST, 0);
  }

  /** The canonical copy of `s`. */
  str(s: string): string {
    const code = this.stringCodes.get(s);
    if (code !== undefined) return this.strings[code] as string;
    this.stringCodes.set(s, this.strings.length);
    this.strings.push(s);
    return s;
  }

  /** The code of `s` (0 for null). */
  strCode(s: string | null): number {
    if (s === null) return NULL_CODE;
    let code = this.stringCodes.get(s);
    if (code === undefined) {
      code = this.strings.length;
      this.stringCodes.set(s, code);
      this.strings.push(s);
    }
    return code;
  }

  /** The canonical, frozen `{id, label}`. */
  labelled(id: string, label: string): Labelled {
    let byLabel = this.labelByText.get(id);
    if (byLabel === undefined) {
      byLabel = new Map();
      this.labelByText.set(id, byLabel);
    }
    let l = byLabel.get(label);
    if (l === undefined) {
      l = Object.freeze({ id, label });
      byLabel.set(label, l);
      this.labelCodes.set(l, this.labels.length);
      this.labels.push(l);
    }
    return l;
  }

  /** The code of a Labelled (0 for null); any object with the same id and label gets the same code. */
  labelledCode(l: Labelled | null): number {
    if (l === null) return NULL_CODE;
    const code = this.labelCodes.get(l);
    if (code !== undefined) return code;
    return this.labelCodes.get(this.labelled(l.id, l.label)) as number;
  }

  /** The canonical, frozen list holding these strings in this order. */
  list(items: readonly string[]): readonly string[] {
    if (items.length === 0) return EMPTY_LIST;
    if (this.listCodes.has(items)) return items;
    const byKey = items.length === 1 ? this.singles : this.multiples;
    const key = items.length === 1 ? (items[0] as string) : JSON.stringify(items);
    let l = byKey.get(key);
    if (l === undefined) {
      l = Object.freeze(items.map((s) => this.str(s)));
      byKey.set(key, l);
      this.listCodes.set(l, this.lists.length);
      this.lists.push(l);
    }
    return l;
  }

  /** The code of a list (0 for the empty list); equal lists get the same code. */
  listCode(items: readonly string[]): number {
    const code = this.listCodes.get(items);
    if (code !== undefined) return code;
    return this.listCodes.get(this.list(items)) as number;
  }
}

/** The fields of a call that repeat from call to call (labels, lines, names), with the interner's shared copies. */
export function sharedFields(c: Call, s: Interner) {
  const str = (v: string | null): string | null => (v === null ? null : s.str(v));
  const lab = (l: Labelled | null): Labelled | null => (l === null ? null : s.labelled(l.id, l.label));
  return {
    directionLabel: str(c.directionLabel),
    statusLabel: str(c.statusLabel),
    type: lab(c.type),
    finishReason: lab(c.finishReason),
    virtualNumber: str(c.virtualNumber),
    virtualNumberComment: str(c.virtualNumberComment),
    employees: s.list(c.employees),
    receivedCall: str(c.receivedCall),
    firstEmployeeInternal: str(c.firstEmployeeInternal),
    secondEmployeeInternal: str(c.secondEmployeeInternal),
    coaches: s.list(c.coaches),
    coachHandled: lab(c.coachHandled),
    blacklisted: lab(c.blacklisted),
    tags: s.list(c.tags),
  };
}
