/** The record ids of a `CallTable`'s calls, kept compactly. */
/**
 * Record ids, one after another as UTF-8 in blocks of 1 MB: ~20 bytes an id
 * where a string of its own takes ~40 (a year of a big centre has ~0.75 M).
 */
export class RecordIds {
  private static readonly BLOCK = 1 << 20;
  private blocks: Buffer[] = [];
  private used = RecordIds.BLOCK;
  /** Per id: its block and offset (block * BLOCK + offset), and its byte length (longer ones aside). */
  private at = new Uint32Array(1024);
  private bytes = new Uint16Array(1024);
  private readonly long = new Map<number, number>();
  /** Ids that UTF-8 cannot hold as they are (with a lone surrogate), kept as strings. */
  private readonly unpaired = new Map<number, string>();
  count = 0;

  push(id: string): void {
    if (this.count === this.at.length) {
      const at = new Uint32Array(this.at.length * 2);
      at.set(this.at);
      this.at = at;
      const bytes = new Uint16Array(this.bytes.length * 2);
      bytes.set(this.bytes);
      this.bytes = bytes;
    }
    if (!id.isWellFormed()) {
      this.unpaired.set(this.count, id);
      this.at[this.count] = 0;
      this.bytes[this.count] = 0;
      this.count++;
      return;
    }
    const length = Buffer.byteLength(id, 'utf8');
    if (this.used + length > RecordIds.BLOCK || this.blocks.length === 0) {
      // An id longer than a block gets a block of its own (the next starts afresh).
      this.blocks.push(Buffer.allocUnsafeSlow(Math.max(RecordIds.BLOCK, length)));
      this.used = 0;
    }
    const block = this.blocks.length - 1;
    if (block >= 4096) throw new RangeError('More than 4 GB of record ids');
    (this.blocks[block] as Buffer).write(id, this.used, 'utf8');
    this.at[this.count] = block * RecordIds.BLOCK + this.used;
    if (length < 65_535) this.bytes[this.count] = length;
    else {
      this.bytes[this.count] = 65_535;
      this.long.set(this.count, length);
    }
    this.count++;
    this.used += length;
  }

  get(i: number): string {
    if (this.unpaired.size > 0) {
      const id = this.unpaired.get(i);
      if (id !== undefined) return id;
    }
    const at = this.at[i] as number;
    const block = Math.floor(at / RecordIds.BLOCK);
    const offset = at - block * RecordIds.BLOCK;
    const bytes = this.bytes[i] as number;
    const length = bytes === 65_535 ? (this.long.get(i) as number) : bytes;
    return (this.blocks[block] as Buffer).toString('utf8', offset, offset + length);
  }

  /** Ids `from..to-1` as a new list. */
  slice(from: number, to: number): string[] {
    const out: string[] = new Array(to - from);
    for (let i = from; i < to; i++) out[i - from] = this.get(i);
    return out;
  }

  get byteLength(): number {
    return this.blocks.length * RecordIds.BLOCK + this.at.byteLength + this.bytes.byteLength;
  }
}
