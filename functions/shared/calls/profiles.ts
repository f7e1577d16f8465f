/**
 * The repeated part of a `CallTable`'s calls: direction, status, flags, labels,
 * line, employees, coaches, tags. A year of a big centre has a few tens of
 * thousands of distinct combinations (profiles); each call keeps the code of
 * its own. A profile's values are the interner's shared, frozen ones.
 */
import type { Call } from './call.ts';
import { type Interner, sharedFields } from './intern.ts';

/** Codes in a profile's key. */
const KEY = 15;

/** The repeated part of a call: these fields of `Call`, shared by every call with the same values. */
export type Profile = Pick<
  Call,
  | 'direction'
  | 'lost'
  | 'internal'
  | 'directionLabel'
  | 'statusLabel'
  | 'type'
  | 'finishReason'
  | 'virtualNumber'
  | 'virtualNumberComment'
  | 'employees'
  | 'receivedCall'
  | 'firstEmployeeInternal'
  | 'secondEmployeeInternal'
  | 'coaches'
  | 'coachHandled'
  | 'blacklisted'
  | 'tags'
>;

export class Profiles {
  private readonly interner: Interner;
  /** By code. */
  readonly all: Profile[] = [];
  /** The codes of each profile's values, KEY per profile. */
  private keys = new Int32Array(KEY * 64);
  /** Open-addressing hash of profiles: code + 1, 0 for an empty slot. */
  private slots = new Int32Array(256);
  /** Scratch for the codes of the call being pushed. */
  private readonly key = new Int32Array(KEY);

  constructor(interner: Interner) {
    this.interner = interner;
  }

  /** The code of the call's profile (a new one when it has none yet): its values' codes, looked up in an open-addressing hash. */
  code(c: Call): number {
    const s = this.interner;
    const key = this.key;
    key[0] = (c.direction === 'in' ? 1 : 0) | (c.lost ? 2 : 0) | (c.internal ? 4 : 0);
    key[1] = s.strCode(c.directionLabel);
    key[2] = s.strCode(c.statusLabel);
    key[3] = s.labelledCode(c.type);
    key[4] = s.labelledCode(c.finishReason);
    key[5] = s.strCode(c.virtualNumber);
    key[6] = s.strCode(c.virtualNumberComment);
    key[7] = s.listCode(c.employees);
    key[8] = s.strCode(c.receivedCall);
    key[9] = s.strCode(c.firstEmployeeInternal);
    key[10] = s.strCode(c.secondEmployeeInternal);
    key[11] = s.listCode(c.coaches);
    key[12] = s.labelledCode(c.coachHandled);
    key[13] = s.labelledCode(c.blacklisted);
    key[14] = s.listCode(c.tags);
    let h = 0x811c9dc5;
    for (let j = 0; j < KEY; j++) h = Math.imul(h ^ (key[j] as number), 0x01000193);
    const mask = this.slots.length - 1;
    for (let slot = h & mask; ; slot = (slot + 1) & mask) {
      const held = this.slots[slot] as number;
      if (held === 0) break;
      const base = (held - 1) * KEY;
      let same = true;
      for (let j = 0; j < KEY && same; j++) same = this.keys[base + j] === key[j];
      if (same) return held - 1;
    }
    // A new profile.
    const code = this.all.length;
    this.all.push({ direction: c.direction, lost: c.lost, internal: c.internal, ...sharedFields(c, s) });
    if ((code + 1) * KEY > this.keys.length) {
      const grown = new Int32Array(this.keys.length * 2);
      grown.set(this.keys);
      this.keys = grown;
    }
    this.keys.set(key, code * KEY);
    if ((code + 1) * 2 > this.slots.length) this.rehash(this.slots.length * 2);
    else this.place(code, h);
    return code;
  }

  private place(code: number, hash: number): void {
    const mask = this.slots.length - 1;
    let slot = hash & mask;
    while (this.slots[slot] !== 0) slot = (slot + 1) & mask;
    this.slots[slot] = code + 1;
  }

  private rehash(size: number): void {
    this.slots = new Int32Array(size);
    for (let code = 0; code < this.all.length; code++) {
      let h = 0x811c9dc5;
      for (let j = 0; j < KEY; j++) h = Math.imul(h ^ (this.keys[code * KEY + j] as number), 0x01000193);
      this.place(code, h);
    }
  }

  /** Bytes of the hash (the profiles themselves are counted by whoever measures). */
  get byteLength(): number {
    return this.keys.byteLength + this.slots.byteLength;
  }
}
