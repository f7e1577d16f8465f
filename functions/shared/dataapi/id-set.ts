/**
 * A set of call ids (whole numbers), for de-duplicating a fetch: open
 * addressing over a Float64Array, 16 bytes an id at most. A `Set<number>` of a
 * million ids past 2^31 (each a boxed number) takes ~37 bytes an id and doubles
 * when it grows.
 */
export class IdSet {
  private slots = new Float64Array(1024).fill(Number.NaN);
  private count = 0;

  get size(): number {
    return this.count;
  }

  private static slot(id: number, mask: number): number {
    const lo = id >>> 0;
    const hi = Math.floor(id / 4_294_967_296) | 0;
    let h = Math.imul(lo ^ Math.imul(hi, 0x9e3779b1), 0x85ebca6b);
    h ^= h >>> 13;
    h = Math.imul(h, 0xc2b2ae35);
    h ^= h >>> 16;
    return h & mask;
  }

  has(id: number): boolean {
    const slots = this.slots;
    const mask = slots.length - 1;
    for (let i = IdSet.slot(id, mask); ; i = (i + 1) & mask) {
      const v = slots[i] as number;
      if (v === id) return true;
      if (Number.isNaN(v)) return false;
    }
  }

  /** Adds `id`; false when it was there already. */
  add(id: number): boolean {
    if ((this.count + 1) * 2 > this.slots.length) this.grow();
    const slots = this.slots;
    const mask = slots.length - 1;
    for (let i = IdSet.slot(id, mask); ; i = (i + 1) & mask) {
      const v = slots[i] as number;
      if (v === id) return false;
      if (Number.isNaN(v)) {
        slots[i] = id;
        this.count++;
        return true;
      }
    }
  }

  private grow(): void {
    const old = this.slots;
    const slots = new Float64Array(old.length * 2).fill(Number.NaN);
    const mask = slots.length - 1;
    for (let j = 0; j < old.length; j++) {
      const id = old[j] as number;
      if (Number.isNaN(id)) continue;
      let i = IdSet.slot(id, mask);
      while (!Number.isNaN(slots[i] as number)) i = (i + 1) & mask;
      slots[i] = id;
    }
    this.slots = slots;
  }
}
