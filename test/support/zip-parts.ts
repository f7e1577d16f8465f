/** A written XLSX's parts by name, read with the bench's zip reader (bench/zip.ts, ZIP64 included). */
import { zipEntries } from '../../bench/zip.ts';

/** The zip's entries, inflated. */
export function zipParts(buf: Buffer): Map<string, Buffer> {
  return new Map(zipEntries(buf).map((e) => [e.name, e.read()]));
}

/** The zip's entries as text. */
export function zipText(buf: Buffer): Map<string, string> {
  return new Map(zipEntries(buf).map((e) => [e.name, e.read().toString('utf8')]));
}
