/**
 * Local collaborators for the pipeline: a folder on disk for reports and an
 * outbox folder for emails (`.eml` to open in a mail program, `.html` to look at).
 */
import { randomUUID } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { mkdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { finished } from 'node:stream/promises';
import { toEml } from '../delivery/mime.ts';
import type {
  EmailMessage,
  JsonDocument,
  Mailer,
  ReportLocation,
  ReportStorage,
  StoredObject,
} from './ports.ts';

/** The deterministic base name of a report: `calls_<subscription>_<from>[_<till>]`. */
export function reportBaseName(loc: ReportLocation): string {
  const { from, till } = loc.period;
  const safe = loc.subscription.replace(/[^A-Za-z0-9_-]+/g, '-');
  return `calls_${safe}_${from}${till === from ? '' : `_${till}`}`;
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

/** Writes each email as `<stamp>.eml` (RFC 5322, multipart) and `<stamp>.html`. */
export class OutboxMailer implements Mailer {
  readonly dir: string;
  private readonly now: () => number;

  constructor(dir: string, now: () => number = Date.now) {
    this.dir = resolve(dir);
    this.now = now;
  }

  async send(message: EmailMessage): Promise<{ messageId: string; location: string }> {
    await mkdir(this.dir, { recursive: true });
    const messageId = `${randomUUID()}@outbox.local`;
    const stamp = new Date(this.now()).toISOString().replace(/[:.]/g, '-');
    const base = join(this.dir, `${stamp}_${messageId.slice(0, 8)}`);
    await writeFile(`${base}.eml`, toEml(message, messageId, new Date(this.now())));
    await writeFile(`${base}.html`, message.html);
    return { messageId, location: `${base}.eml` };
  }
}

/** The MIME builder lives with the other delivery code; re-exported for existing importers. */
export { toEml } from '../delivery/mime.ts';
