/**
 * The local mailer: each email goes into an outbox folder as `.eml` (RFC 5322,
 * multipart, to open in a mail program) and `.html` (to look at).
 */
import { randomUUID } from 'node:crypto';
import { mkdir, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import type { EmailMessage, Mailer } from '../../pipeline/ports.ts';
import { toEml } from '../mail/mime.ts';

/** The `.html` the outbox writes beside an `.eml` it wrote: the email as a person opens it in a browser. */
export function htmlBeside(eml: string): string {
  return eml.replace(/\.eml$/, '.html');
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
    await writeFile(htmlBeside(`${base}.eml`), message.html);
    return { messageId, location: `${base}.eml` };
  }
}
