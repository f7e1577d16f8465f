/**
 * Reads the entries of a zip file written whole in memory (the product's
 * XLSX), for baseline (c): the sheet's XML exactly as the product wrote it;
 * the tests read the workbook's parts with it too (test/support/zip-parts.ts).
 * Sizes come from the central directory (ZIP64 extra fields included).
 */
import { inflateRawSync } from 'node:zlib';

export interface ZipEntry {
  name: string;
  /** Uncompressed size. */
  size: number;
  /** The CRC-32 the central directory gives. */
  crc: number;
  /** The entry's bytes, inflated. */
  read: () => Buffer;
}

const EOCD = Buffer.from([0x50, 0x4b, 0x05, 0x06]);

export function zipEntries(buf: Buffer): ZipEntry[] {
  const eocd = buf.lastIndexOf(EOCD);
  if (eocd < 0) throw new Error('not a zip file: no end of central directory');
  const count = buf.readUInt16LE(eocd + 10);
  let p = buf.readUInt32LE(eocd + 16);
  const entries: ZipEntry[] = [];
  for (let i = 0; i < count; i++) {
    if (buf.readUInt32LE(p) !== 0x02014b50) throw new Error(`zip: no central directory entry at ${p}`);
    const method = buf.readUInt16LE(p + 10);
    const crc = buf.readUInt32LE(p + 16);
    let compressed = buf.readUInt32LE(p + 20);
    let size = buf.readUInt32LE(p + 24);
    const nameLength = buf.readUInt16LE(p + 28);
    const extraLength = buf.readUInt16LE(p + 30);
    const commentLength = buf.readUInt16LE(p + 32);
    let local = buf.readUInt32LE(p + 42);
    const name = buf.toString('utf8', p + 46, p + 46 + nameLength);
    // ZIP64: the fields that read 0xffffffff are in the extra field 0x0001, in this order.
    for (let x = p + 46 + nameLength; x < p + 46 + nameLength + extraLength; ) {
      const id = buf.readUInt16LE(x);
      const len = buf.readUInt16LE(x + 2);
      if (id === 1) {
        let q = x + 4;
        const next = (): number => {
          const v = Number(buf.readBigUInt64LE(q));
          q += 8;
          return v;
        };
        if (size === 0xffffffff) size = next();
        if (compressed === 0xffffffff) compressed = next();
        if (local === 0xffffffff) local = next();
      }
      x += 4 + len;
    }
    if (buf.readUInt32LE(local) !== 0x04034b50) throw new Error(`zip: no local header for ${name}`);
    const start = local + 30 + buf.readUInt16LE(local + 26) + buf.readUInt16LE(local + 28);
    const raw = buf.subarray(start, start + compressed);
    entries.push({
      name,
      size,
      crc,
      read: () => (method === 8 ? inflateRawSync(raw) : Buffer.from(raw)),
    });
    p += 46 + nameLength + extraLength + commentLength;
  }
  return entries;
}

/** How many times `needle` occurs in `buf`. */
export function occurrences(buf: Buffer, needle: string): number {
  const n = Buffer.from(needle);
  let count = 0;
  for (let i = buf.indexOf(n); i >= 0; i = buf.indexOf(n, i + n.length)) count++;
  return count;
}
