/**
 * The morning message in a team's Telegram chat: the email's model (model.ts)
 * laid out a third time, for the Bot API's HTML parse mode. The period, the
 * three figures (incoming, missed with its rate, not called back), the first
 * 15 clients to call (each number as plain text in the `+7 495 123-45-67`
 * form, which phones make tappable, and whom it rang), "… and N more" when
 * the list is cut, and the report's link as a button (an inline-keyboard URL).
 *
 * Telegram takes at most 4 096 characters of text after entity parsing,
 * counted in UTF-16 code units (an emoji such as 📞 is two). The message is
 * made of spans of plain text, so its length is counted on exactly what
 * Telegram counts, and the HTML is rendered from the same spans, every one
 * escaped: when the message would be too long, clients are left off the list
 * (and counted in "… and N more"); markup is never cut.
 */
import { type EmailInput, emailSubject } from './build-email.ts';
import { emailModel, type Model } from './model.ts';

/** Telegram's limit on a message's text after entity parsing (UTF-16 code units). */
export const TELEGRAM_TEXT_LIMIT = 4096;
/** How many clients to call the message lists at most. */
export const TELEGRAM_CALL_FIRST_LIMIT = 15;
/** What one client's line may take of its details (line, times, names), in characters a person sees. */
const DETAILS_MAX = 200;

export interface TelegramMessage {
  /** The text for `parse_mode: "HTML"`. */
  html: string;
  /** Its length as Telegram counts it: UTF-16 code units of the text after entity parsing. */
  length: number;
  /** The inline-keyboard URL button to the report; null when the link is not an http(s) URL (a local file). */
  button: { text: string; url: string } | null;
  /** Clients listed, of the clients to call. */
  listed: number;
  clients: number;
}

export interface TelegramInput extends Omit<EmailInput, 'callFirstLimit'> {
  /** At most this many clients (default TELEGRAM_CALL_FIRST_LIMIT). */
  listLimit?: number;
  /** The text limit (default TELEGRAM_TEXT_LIMIT; tests make it smaller). */
  textLimit?: number;
}

interface Span {
  text: string;
  bold?: true;
}
type Line = Span[];

/** Escapes text for Telegram's HTML parse mode (the four entities it names). */
export function escapeTelegramHtml(s: string): string {
  return s.replace(/[&<>"]/g, (c) =>
    c === '&' ? '&amp;' : c === '<' ? '&lt;' : c === '>' ? '&gt;' : '&quot;',
  );
}

/**
 * Text from data, made safe to send: lone surrogates (which are not UTF-8)
 * replaced, control characters and line breaks as spaces, so a name cannot
 * break the layout.
 */
function clean(s: string): string {
  return s.toWellFormed().replace(/[\p{Cc}\u2028\u2029]+/gu, ' ');
}

const graphemes = new Intl.Segmenter(undefined, { granularity: 'grapheme' });

/** At most `max` graphemes (an emoji with its modifiers stays whole), with "…" when cut. */
function shorten(s: string, max: number): string {
  const parts = [...graphemes.segment(s)];
  return parts.length <= max
    ? s
    : `${parts
        .slice(0, max - 1)
        .map((p) => p.segment)
        .join('')
        .trimEnd()}…`;
}

const httpUrl = (link: string): boolean => /^https?:\/\/\S+$/i.test(link);

function layout(m: Model, withLink: boolean): Line[] {
  const lines: Line[] = [[{ text: m.title, bold: true }], [{ text: m.timezone }], []];
  for (const t of m.tiles) {
    lines.push([
      { text: `${t.label}: ` },
      { text: t.value, bold: true },
      ...(t.notes.length ? [{ text: ` (${t.notes.join(', ')})` }] : []),
    ]);
  }
  lines.push([]);
  const u = m.callFirst;
  if (u.clients === 0) {
    lines.push([{ text: u.calm }]);
  } else {
    lines.push([{ text: u.heading, bold: true }]);
    for (const x of u.shown) {
      const details = clean([...(x.failed ? [x.failed] : []), ...x.details].join('; '));
      const when = x.day ? `${x.day} ${x.time}` : x.time;
      lines.push([
        {
          text: `${when}  ${clean(x.number)}${details ? ` — ${shorten(details, DETAILS_MAX)}` : ''}`,
        },
      ]);
    }
    if (u.more) lines.push([{ text: u.more }]);
  }
  if (withLink && m.link.expires) lines.push([], [{ text: m.link.expires }]);
  return lines;
}

/** UTF-16 code units of the text after entity parsing: the spans' text and one per line break. */
function lengthOf(lines: readonly Line[]): number {
  return lines.reduce((n, line) => n + line.reduce((k, s) => k + s.text.length, 0), 0) + lines.length - 1;
}

function render(lines: readonly Line[]): string {
  return lines
    .map((line) =>
      line
        .map((s) => (s.bold ? `<b>${escapeTelegramHtml(s.text)}</b>` : escapeTelegramHtml(s.text)))
        .join(''),
    )
    .join('\n');
}

/**
 * The message of one report: as many of the first `listLimit` clients as fit
 * the limit, the rest counted in "… and N more".
 */
export function telegramMessage(input: TelegramInput): TelegramMessage {
  const limit = input.textLimit ?? TELEGRAM_TEXT_LIMIT;
  const { listLimit, textLimit, ...email } = input;
  const clients = input.summary.missed.call_first.length;
  const withLink = httpUrl(input.link);
  const subject = emailSubject(input.summary, input.language);
  for (let k = Math.min(clients, Math.max(0, listLimit ?? TELEGRAM_CALL_FIRST_LIMIT)); k >= 0; k--) {
    const m = emailModel({ ...email, callFirstLimit: k }, subject);
    const lines = layout(m, withLink);
    const length = lengthOf(lines);
    if (length <= limit) {
      return {
        html: render(lines),
        length,
        button: withLink ? { text: m.link.label, url: input.link } : null,
        listed: k,
        clients,
      };
    }
  }
  // The message without any client holds no customer's text: words and figures only.
  throw new RangeError(`The Telegram message does not fit ${limit} characters even without its list`);
}
