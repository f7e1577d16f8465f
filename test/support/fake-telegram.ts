/**
 * A fake Telegram Bot API server over real HTTP, never kinder than the real
 * one: `POST /bot<token>/sendMessage` (JSON, form or multipart) and
 * `/sendDocument` (multipart), answering in the Bot API's shapes
 * (`{"ok": true, "result": Message}` / `{"ok": false, "error_code",
 * "description", "parameters"?}`):
 *
 * - a wrong token: 401 `Unauthorized`; an unknown method: 404 `Not Found`;
 * - an unknown chat: 400 `chat not found`; an unknown topic: 400 `message thread not found`;
 * - a chat that blocked or removed the bot: 403 `Forbidden: …`;
 * - a group upgraded to a supergroup: 400 with `parameters.migrate_to_chat_id`;
 * - HTML that Telegram's parser refuses: 400 `can't parse entities: …`
 *   (telegram-html.ts, the Bot API's rules); a text over 4 096 UTF-16 code
 *   units after entity parsing: 400 `message is too long`; a caption over 1 024:
 *   400 `message caption is too long`; a file over 50 MB: 413;
 * - an inline-keyboard button whose URL is not http(s) or tg: 400;
 * - setWebhook (an https URL; secret_token of 1-256 `A-Za-z0-9_-`, as the Bot API
 *   allows), getWebhookInfo and deleteWebhook, the webhook kept for the test;
 * - scripted faults, one per request in order: 429 with `parameters.retry_after`,
 *   any 5xx (502 as nginx's HTML page, like the real front end), or a dropped connection.
 *
 * It keeps every message it accepted (per chat, with its id) and every request
 * it answered, and tells a test when one arrives (`waitFor`).
 */
import { once } from 'node:events';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { EntityParseError, parseTelegramHtml } from './telegram-html.ts';

export const FAKE_BOT_TOKEN = '123456789:AAHfakeTOKENforTESTSonly-abcdefghijkl';
const TEXT_LIMIT = 4096;
const CAPTION_LIMIT = 1024;
const FILE_LIMIT = 50 * 1024 * 1024;

export interface FakeChat {
  id: number | string;
  type: 'group' | 'supergroup' | 'channel' | 'private';
  title?: string;
  /** Forum topics the chat has (message_thread_id values). */
  threads?: number[];
  /** The bot was blocked (private) or removed from the group: 403. */
  blocked?: boolean;
  /** The group became a supergroup with this id: 400 with migrate_to_chat_id. */
  migratedTo?: number;
}

export type Fault =
  | { kind: 'retry_after'; seconds: number }
  | { kind: 'status'; status: number }
  | { kind: 'drop' };

export interface SentMessage {
  message_id: number;
  chat_id: string;
  message_thread_id: number | null;
  /** As sent (HTML) and as Telegram shows it. */
  html: string;
  text: string;
  reply_markup: unknown;
}

export interface SentDocument {
  message_id: number;
  chat_id: string;
  message_thread_id: number | null;
  file_name: string;
  bytes: number;
  caption: string | null;
}

export interface FakeWebhook {
  url: string;
  secret_token: string | null;
  allowed_updates: string[] | null;
  max_connections: number | null;
}

export interface AnsweredRequest {
  method: string;
  status: number;
  chat_id: string | null;
}

export interface FakeTelegram {
  /** Base URL, as the Bot API's `https://api.telegram.org`. */
  url: string;
  token: string;
  chats: Map<string, FakeChat>;
  messages: SentMessage[];
  documents: SentDocument[];
  requests: AnsweredRequest[];
  addChat(chat: FakeChat): void;
  /** What setWebhook was given last (null: none, or deleted). */
  readonly webhook: FakeWebhook | null;
  /** Answers the next requests with these faults, one each, in order. */
  fail(...faults: Fault[]): void;
  /** Every request answers 502 (true) until called with false. */
  down(on: boolean): void;
  /** Resolves when `n` requests in all have been answered. */
  waitFor(n: number): Promise<void>;
  messagesIn(chatId: number | string): SentMessage[];
  close(): Promise<void>;
}

const BOT = { id: 123456789, is_bot: true, first_name: 'Call reports', username: 'call_reports_bot' };
const ENTITY: Readonly<Record<string, string>> = {
  b: 'bold',
  strong: 'bold',
  i: 'italic',
  em: 'italic',
  u: 'underline',
  ins: 'underline',
  s: 'strikethrough',
  strike: 'strikethrough',
  del: 'strikethrough',
  'tg-spoiler': 'spoiler',
  span: 'spoiler',
  a: 'text_link',
  code: 'code',
  pre: 'pre',
  blockquote: 'blockquote',
  'tg-emoji': 'custom_emoji',
};
const NGINX_502 =
  '<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>\r\n<center><h1>502 Bad Gateway</h1></center>\r\n<hr><center>nginx/1.18.0</center>\r\n</body>\r\n</html>\r\n';

class ApiError extends Error {
  readonly status: number;
  readonly description: string;
  readonly parameters: Record<string, number> | undefined;
  constructor(status: number, description: string, parameters?: Record<string, number>) {
    super(description);
    this.status = status;
    this.description = description;
    this.parameters = parameters;
  }
}

async function readBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const c of req) chunks.push(c as Buffer);
  return Buffer.concat(chunks);
}

type Params = Map<string, string | File>;

/** The parameters of a request, in any of the three encodings the Bot API accepts. */
async function params(req: IncomingMessage, body: Buffer): Promise<Params> {
  const type = req.headers['content-type'] ?? '';
  const out: Params = new Map();
  if (type.startsWith('application/json')) {
    let json: unknown;
    try {
      json = JSON.parse(body.toString('utf8'));
    } catch {
      throw new ApiError(400, "Bad Request: can't parse JSON object");
    }
    for (const [k, v] of Object.entries((json ?? {}) as Record<string, unknown>))
      out.set(k, typeof v === 'string' ? v : JSON.stringify(v));
  } else if (type.startsWith('multipart/form-data') || type.startsWith('application/x-www-form-urlencoded')) {
    const form = await new Response(new Uint8Array(body), { headers: { 'content-type': type } }).formData();
    for (const [k, v] of form) out.set(k, v);
  } else if (body.length > 0) {
    throw new ApiError(400, 'Bad Request: unsupported content type');
  }
  return out;
}

const text = (p: Params, k: string): string | undefined => {
  const v = p.get(k);
  return typeof v === 'string' ? v : undefined;
};

function checkButtons(markup: string | undefined): unknown {
  if (markup === undefined) return null;
  let parsed: { inline_keyboard?: unknown };
  try {
    parsed = JSON.parse(markup);
  } catch {
    throw new ApiError(400, "Bad Request: can't parse reply keyboard markup JSON object");
  }
  const rows = parsed.inline_keyboard;
  if (!Array.isArray(rows) || !rows.every(Array.isArray))
    throw new ApiError(
      400,
      'Bad Request: field "inline_keyboard" of the InlineKeyboardMarkup must be an Array of Arrays',
    );
  for (const b of rows.flat() as Array<{ text?: unknown; url?: unknown }>) {
    if (typeof b.text !== 'string' || b.text === '')
      throw new ApiError(400, 'Bad Request: text buttons are unallowed in the inline keyboard');
    if (typeof b.url === 'string' && !/^(https?|tg):\/\/[^\s]+$/i.test(b.url))
      throw new ApiError(
        400,
        `Bad Request: inline keyboard button URL '${b.url}' is invalid: Wrong HTTP URL`,
      );
  }
  return parsed;
}

/** The text as Telegram shows it, or the Bot API's 400 for bad HTML or a text over `limit`. */
function parsed(html: string, mode: string | undefined, limit: number, what: 'message' | 'caption') {
  let result: {
    text: string;
    entities: Array<{ type: string; offset: number; length: number; url?: string }>;
  };
  if (mode === 'HTML') {
    try {
      result = parseTelegramHtml(html);
    } catch (e) {
      if (e instanceof EntityParseError)
        throw new ApiError(400, `Bad Request: can't parse entities: ${e.message}`);
      throw e;
    }
  } else if (mode === undefined) {
    result = { text: html, entities: [] };
  } else {
    throw new ApiError(400, `Bad Request: unsupported parse_mode "${mode}"`);
  }
  if (what === 'message' && result.text.trim() === '')
    throw new ApiError(400, 'Bad Request: message text is empty');
  if (result.text.length > limit)
    throw new ApiError(
      400,
      what === 'message' ? 'Bad Request: message is too long' : 'Bad Request: message caption is too long',
    );
  return {
    text: result.text,
    entities: result.entities.map((e) => ({ ...e, type: ENTITY[e.type] ?? e.type })),
  };
}

export async function startFakeTelegram(
  opts: { token?: string; chats?: FakeChat[] } = {},
): Promise<FakeTelegram> {
  const token = opts.token ?? FAKE_BOT_TOKEN;
  const chats = new Map<string, FakeChat>();
  const messages: SentMessage[] = [];
  const documents: SentDocument[] = [];
  const requests: AnsweredRequest[] = [];
  const faults: Fault[] = [];
  const waiters: Array<{ n: number; resolve: () => void }> = [];
  let isDown = false;
  let webhook: FakeWebhook | null = null;
  let nextId = 1;

  const addChat = (c: FakeChat) => chats.set(String(c.id), c);
  for (const c of opts.chats ?? []) addChat(c);

  const answered = (r: AnsweredRequest) => {
    requests.push(r);
    for (const w of waiters.filter((x) => requests.length >= x.n)) {
      waiters.splice(waiters.indexOf(w), 1);
      w.resolve();
    }
  };

  function chatFor(p: Params): { chat: FakeChat; thread: number | null } {
    const id = text(p, 'chat_id');
    if (id === undefined || id === '') throw new ApiError(400, 'Bad Request: chat_id is empty');
    const chat = chats.get(id);
    if (!chat) throw new ApiError(400, 'Bad Request: chat not found');
    if (chat.migratedTo !== undefined)
      throw new ApiError(400, 'Bad Request: group chat was upgraded to a supergroup chat', {
        migrate_to_chat_id: chat.migratedTo,
      });
    if (chat.blocked)
      throw new ApiError(
        403,
        chat.type === 'private'
          ? 'Forbidden: bot was blocked by the user'
          : `Forbidden: bot was kicked from the ${chat.type === 'group' ? 'group' : 'supergroup'} chat`,
      );
    const rawThread = text(p, 'message_thread_id');
    const thread = rawThread === undefined ? null : Number(rawThread);
    if (thread !== null && !(chat.threads ?? []).includes(thread))
      throw new ApiError(400, 'Bad Request: message thread not found');
    return { chat, thread };
  }

  const chatObject = (chat: FakeChat) => ({
    id: typeof chat.id === 'number' ? chat.id : -1_000_000_000_000 - chats.size,
    type: chat.type,
    ...(chat.title ? { title: chat.title } : {}),
    ...(typeof chat.id === 'string' ? { username: chat.id.slice(1) } : {}),
  });

  async function handle(method: string, p: Params): Promise<unknown> {
    if (method === 'getMe') return BOT;
    if (method === 'setWebhook') {
      const url = text(p, 'url') ?? '';
      if (!/^https:\/\/\S+$/.test(url))
        throw new ApiError(400, 'Bad Request: bad webhook: An HTTPS URL must be provided for webhook');
      const secret = text(p, 'secret_token');
      if (secret !== undefined && !/^[A-Za-z0-9_-]{1,256}$/.test(secret))
        throw new ApiError(400, 'Bad Request: secret token contains unallowed characters');
      const allowed = text(p, 'allowed_updates');
      const max = text(p, 'max_connections');
      webhook = {
        url,
        secret_token: secret ?? null,
        allowed_updates: allowed === undefined ? null : (JSON.parse(allowed) as string[]),
        max_connections: max === undefined ? null : Number(max),
      };
      return true;
    }
    if (method === 'deleteWebhook') {
      webhook = null;
      return true;
    }
    if (method === 'getWebhookInfo')
      return { url: webhook?.url ?? '', has_custom_certificate: false, pending_update_count: 0 };
    if (method === 'sendMessage') {
      const { chat, thread } = chatFor(p);
      const html = text(p, 'text') ?? '';
      const shown = parsed(html, text(p, 'parse_mode'), TEXT_LIMIT, 'message');
      const markup = checkButtons(text(p, 'reply_markup'));
      const message_id = nextId++;
      messages.push({
        message_id,
        chat_id: String(chat.id),
        message_thread_id: thread,
        html,
        text: shown.text,
        reply_markup: markup,
      });
      return {
        message_id,
        from: BOT,
        chat: chatObject(chat),
        date: Math.floor(Date.now() / 1000),
        ...(thread === null ? {} : { message_thread_id: thread, is_topic_message: true }),
        text: shown.text,
        ...(shown.entities.length ? { entities: shown.entities } : {}),
        ...(markup ? { reply_markup: markup } : {}),
      };
    }
    if (method === 'sendDocument') {
      const { chat, thread } = chatFor(p);
      const file = p.get('document');
      if (!(file instanceof File))
        throw new ApiError(400, 'Bad Request: there is no document in the request');
      if (file.size > FILE_LIMIT) throw new ApiError(413, 'Request Entity Too Large');
      const caption = text(p, 'caption');
      const shown =
        caption === undefined ? null : parsed(caption, text(p, 'parse_mode'), CAPTION_LIMIT, 'caption');
      const message_id = nextId++;
      documents.push({
        message_id,
        chat_id: String(chat.id),
        message_thread_id: thread,
        file_name: file.name,
        bytes: file.size,
        caption: shown?.text ?? null,
      });
      return {
        message_id,
        from: BOT,
        chat: chatObject(chat),
        date: Math.floor(Date.now() / 1000),
        ...(thread === null ? {} : { message_thread_id: thread, is_topic_message: true }),
        document: {
          file_name: file.name,
          mime_type: file.type || 'application/octet-stream',
          file_id: `BQACAgIAAx${message_id}`,
          file_unique_id: `AgAD${message_id}`,
          file_size: file.size,
        },
        ...(shown ? { caption: shown.text } : {}),
      };
    }
    throw new ApiError(404, 'Not Found');
  }

  const send = (res: ServerResponse, status: number, body: unknown) => {
    const json = JSON.stringify(body);
    res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(json) });
    res.end(json);
  };

  const server: Server = createServer(async (req, res) => {
    const m = /^\/bot([^/]+)\/([A-Za-z]+)$/.exec(req.url ?? '');
    const method = m?.[2] ?? '';
    let chatId: string | null = null;
    let status = 200;
    let dropped = false;
    try {
      const body = await readBody(req);
      const fault = faults.shift();
      if (fault?.kind === 'drop') {
        dropped = true;
        answered({ method, status: 0, chat_id: null });
        req.socket.destroy();
        return;
      }
      if (isDown || fault?.kind === 'status') {
        status = fault?.kind === 'status' ? fault.status : 502;
        res.writeHead(status, { 'content-type': 'text/html' });
        res.end(status === 502 ? NGINX_502 : `<html><body>${status}</body></html>`);
        return;
      }
      if (fault?.kind === 'retry_after') {
        status = 429;
        send(res, 429, {
          ok: false,
          error_code: 429,
          description: `Too Many Requests: retry after ${fault.seconds}`,
          parameters: { retry_after: fault.seconds },
        });
        return;
      }
      if (!m || m[1] !== token) throw new ApiError(m ? 401 : 404, m ? 'Unauthorized' : 'Not Found');
      if (req.method !== 'POST' && req.method !== 'GET') throw new ApiError(405, 'Method Not Allowed');
      const p = await params(req, body);
      chatId = text(p, 'chat_id') ?? null;
      const result = await handle(method, p);
      send(res, 200, { ok: true, result });
    } catch (e) {
      const err = e instanceof ApiError ? e : new ApiError(500, 'Internal Server Error');
      status = err.status;
      send(res, err.status, {
        ok: false,
        error_code: err.status,
        description: err.description,
        ...(err.parameters ? { parameters: err.parameters } : {}),
      });
    } finally {
      if (!dropped) answered({ method, status, chat_id: chatId });
    }
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${port}`,
    token,
    chats,
    messages,
    documents,
    requests,
    addChat,
    get webhook() {
      return webhook;
    },
    fail: (...f) => {
      faults.push(...f);
    },
    down: (on) => {
      isDown = on;
    },
    waitFor: (n) =>
      requests.length >= n ? Promise.resolve() : new Promise<void>((resolve) => waiters.push({ n, resolve })),
    messagesIn: (id) => messages.filter((x) => x.chat_id === String(id)),
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
