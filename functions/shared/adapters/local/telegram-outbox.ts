/**
 * The local Telegram poster: each message the bot would post goes into the
 * outbox folder, beside the emails, as `<stamp>_<id>.telegram.json`: the Bot
 * API's `sendMessage` request as it would be sent (chat_id, text in HTML
 * parse mode, the URL button), and the text as the chat shows it. A workbook
 * it would post is noted as `sendDocument` (the file itself is the report's).
 */
import { randomUUID } from 'node:crypto';
import { mkdir, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import type { TelegramChat, TelegramPoster } from '../../pipeline/ports.ts';

/** What Telegram shows of an HTML text: tags dropped, its four entities decoded. */
function shown(html: string): string {
  const entities: Readonly<Record<string, string>> = {
    '&lt;': '<',
    '&gt;': '>',
    '&quot;': '"',
    '&amp;': '&',
  };
  return html.replace(/<[^>]*>/g, '').replace(/&(lt|gt|quot|amp);/g, (e) => entities[e] as string);
}

export class TelegramOutbox implements TelegramPoster {
  readonly dir: string;
  /** The files written, in order. */
  readonly written: string[] = [];
  private readonly now: () => number;
  private next = 1;

  constructor(dir: string, now: () => number = Date.now) {
    this.dir = resolve(dir);
    this.now = now;
  }

  private async write(request: Record<string, unknown>): Promise<{ messageId: number; location: string }> {
    await mkdir(this.dir, { recursive: true });
    const stamp = new Date(this.now()).toISOString().replace(/[:.]/g, '-');
    const file = join(this.dir, `${stamp}_${randomUUID().slice(0, 8)}.telegram.json`);
    await writeFile(file, `${JSON.stringify(request, null, 2)}\n`);
    this.written.push(file);
    return { messageId: this.next++, location: file };
  }

  sendMessage(
    chat: TelegramChat,
    message: { html: string; button: { text: string; url: string } | null },
  ): Promise<{ messageId: number; location: string }> {
    return this.write({
      method: 'sendMessage',
      chat_id: chat.chat_id,
      ...(chat.thread_id === undefined ? {} : { message_thread_id: chat.thread_id }),
      parse_mode: 'HTML',
      text: message.html,
      ...(message.button
        ? { reply_markup: { inline_keyboard: [[{ text: message.button.text, url: message.button.url }]] } }
        : {}),
      shown: shown(message.html),
    });
  }

  sendDocument(
    chat: TelegramChat,
    document: { fileName: string; content: Buffer; caption: string },
  ): Promise<{ messageId: number; location: string }> {
    return this.write({
      method: 'sendDocument',
      chat_id: chat.chat_id,
      ...(chat.thread_id === undefined ? {} : { message_thread_id: chat.thread_id }),
      document: document.fileName,
      bytes: document.content.length,
      caption: document.caption,
    });
  }
}
