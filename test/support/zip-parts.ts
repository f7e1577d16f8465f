/** A written XLSX's parts by name, as text, read with the bench's zip reader (bench/zip.ts, ZIP64 included). */
import { zipEntries } from '../../bench/zip.ts';

export function zipText(buf: Buffer): Map<string, string> {
  return new Map(zipEntries(buf).map((e) => [e.name, e.read().toString('utf8')]));
}
