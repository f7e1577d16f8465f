import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inflateRawSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { nativeCrcInUse } from '../../../functions/shared/report/xlsx/native-crc.ts';
import { writeXlsx } from '../../../functions/shared/report/xlsx/write-xlsx.ts';

// The checksum archiver writes into the zip comes from zlib once the engine is loaded.

const require = createRequire(import.meta.url);
/** The `crc-32` archiver's crc32-stream requires: the same module object. */
const crcOfStream = require(require.resolve('crc-32', { paths: [require.resolve('crc32-stream')] })) as {
  buf(data: Uint8Array | number[], seed?: number): number;
};

/** CRC-32 bit by bit, the definition (reflected, polynomial 0xEDB88320), as `crc-32` returns it (signed). */
function reference(bytes: Uint8Array, seed = 0): number {
  let c = ~seed;
  for (const b of bytes) {
    c ^= b;
    for (let k = 0; k < 8; k++) c = c & 1 ? (c >>> 1) ^ 0xedb88320 : c >>> 1;
  }
  return ~c;
}

describe('native CRC-32 for the zip', () => {
  it('is what crc32-stream calls once the XLSX engine is imported', () => {
    expect(nativeCrcInUse()).toBe(true);
    expect(crcOfStream.buf.name).toBe('native');
  });

  it('gives the values crc-32 gives, signed, for any length and a running seed', () => {
    let seed = 0;
    let expected = 0;
    for (const length of [0, 1, 15, 16, 17, 255, 4096, 65_537]) {
      const bytes = Buffer.alloc(length);
      for (let i = 0; i < length; i++) bytes[i] = (i * 131 + length) & 255;
      expect(crcOfStream.buf(bytes)).toBe(reference(bytes));
      seed = crcOfStream.buf(bytes, seed) >>> 0; // as crc32-stream chains it
      expected = reference(bytes, expected) >>> 0;
      expect(seed).toBe(expected);
    }
    expect(crcOfStream.buf([1, 2, 3])).toBe(reference(Uint8Array.of(1, 2, 3)));
  });

  it('writes the checksum of every entry of an XLSX the engine writes', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'crc-test-'));
    try {
      const path = join(dir, 'book.xlsx');
      await writeXlsx({ output: path, creator: 'test' }, async (book) => {
        const rows = Array.from({ length: 3000 }, (_, i) => ({ values: [`Пропущен ${i}`, i] }));
        await book.table(
          'Звонки',
          [
            { header: 'Текст', kind: 'text' },
            { header: 'N', kind: 'count' },
          ],
          rows,
          {
            xml: true,
          },
        );
      });
      const buf = await readFile(path);
      const eocd = buf.lastIndexOf(Buffer.from([0x50, 0x4b, 0x05, 0x06]));
      let p = buf.readUInt32LE(eocd + 16);
      const count = buf.readUInt16LE(eocd + 10);
      expect(count).toBeGreaterThan(5);
      for (let i = 0; i < count; i++) {
        const nameLength = buf.readUInt16LE(p + 28);
        const local = buf.readUInt32LE(p + 42);
        const start = local + 30 + buf.readUInt16LE(local + 26) + buf.readUInt16LE(local + 28);
        const raw = buf.subarray(start, start + buf.readUInt32LE(p + 20));
        const data = buf.readUInt16LE(p + 10) === 8 ? inflateRawSync(raw) : raw;
        const name = buf.toString('utf8', p + 46, p + 46 + nameLength);
        expect({ name, crc: buf.readUInt32LE(p + 16) }).toEqual({ name, crc: reference(data) >>> 0 });
        p += 46 + nameLength + buf.readUInt16LE(p + 30) + buf.readUInt16LE(p + 32);
      }
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
