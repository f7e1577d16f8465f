/**
 * The local report storage: a folder on disk. The workbook and the summary sit
 * in it under the report's base name; the manifest and the rendered email in
 * its `.state/` folder. Each file is written under a temporary name and renamed,
 * so a file appears only when complete. (The local mailer is outbox.ts.)
 */
import { randomUUID } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { mkdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { finished } from 'node:stream/promises';
import { variantSuffix } from '../../pipeline/location.ts';
import type { JsonDocument, ReportLocation, ReportStorage, StoredObject } from '../../pipeline/ports.ts';

/**
 * The deterministic base name of a report: `calls_<subscription>_<from>[_<till>]`,
 * and for a partial report `_as-of_<YYYY-MM-DD>_<hh-mm-ss>` after it (its own
 * files: two partial runs never collide, and neither replaces the whole period's),
 * then `_<variant>` for a report in another language or with other settings
 * (pipeline/location.ts).
 */
export function reportBaseName(loc: ReportLocation): string {
  const { from, till } = loc.period;
  const safe = loc.subscription.replace(/[^A-Za-z0-9_-]+/g, '-');
  const asOf = loc.as_of ?? null;
  if (asOf !== null && !/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/.test(asOf)) {
    throw new RangeError(`Bad report as_of "${asOf}": expected YYYY-MM-DD hh:mm:ss`);
  }
  const partial = asOf === null ? '' : `_as-of_${asOf.replace(' ', '_').replaceAll(':', '-')}`;
  return `calls_${safe}_${from}${till === from ? '' : `_${till}`}${partial}${variantSuffix(loc.variant)}`;
}

export class LocalFolderStorage implements ReportStorage {
  readonly dir: string;

  constructor(dir: string) {
    this.dir = resolve(dir);
  }

  async saveWorkbook(
    loc: ReportLocation,
    _fileName: string,
    write: (out: NodeJS.WritableStream) => Promise<void>,
  ): Promise<StoredObject> {
    await mkdir(this.dir, { recursive: true });
    const key = `${reportBaseName(loc)}.xlsx`;
    const path = join(this.dir, key);
    const tmp = join(this.dir, `.${key}.${randomUUID()}.tmp`);
    const out = createWriteStream(tmp);
    try {
      await write(out);
      if (!out.writableEnded) out.end();
      await finished(out);
      await rename(tmp, path);
    } catch (err) {
      out.destroy();
      await rm(tmp, { force: true });
      throw err;
    }
    return { key, location: path, bytes: (await stat(path)).size };
  }

  /** The summary sits beside the workbook; the manifest and the rendered email in `.state/`. */
  private jsonKey(loc: ReportLocation, doc: JsonDocument): string {
    const name = `${reportBaseName(loc)}.${doc}.json`;
    return doc === 'summary' ? name : join('.state', name);
  }

  async saveJson(loc: ReportLocation, doc: JsonDocument, value: unknown): Promise<StoredObject> {
    const key = this.jsonKey(loc, doc);
    const path = join(this.dir, key);
    const body = `${JSON.stringify(value, null, 2)}\n`;
    await mkdir(dirname(path), { recursive: true });
    const tmp = `${path}.${randomUUID()}.tmp`;
    await writeFile(tmp, body);
    await rename(tmp, path);
    return { key, location: path, bytes: Buffer.byteLength(body) };
  }

  async loadJson<T>(loc: ReportLocation, doc: JsonDocument): Promise<T | null> {
    try {
      return JSON.parse(await readFile(join(this.dir, this.jsonKey(loc, doc)), 'utf8')) as T;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
      throw err;
    }
  }

  readObject(key: string): Promise<Buffer> {
    return readFile(join(this.dir, key));
  }
}
