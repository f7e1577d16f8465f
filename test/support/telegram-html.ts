/**
 * Telegram's HTML parse mode, as the Bot API documents it, for the fake Bot
 * API server and the message's tests: written from the Bot API's rules, not
 * from our message code, and never kinder than them.
 *
 * - Only the documented tags (b, strong, i, em, u, ins, s, strike, del,
 *   tg-spoiler, span class="tg-spoiler", a href, code, pre, blockquote,
 *   tg-emoji), properly nested, each closed.
 * - Every `<`, `>` and `&` that is not part of a tag or an entity is an error;
 *   only `&lt;`, `&gt;`, `&amp;`, `&quot;` and numeric entities are known.
 * - The text after entity parsing is what the 4 096 limit counts, in UTF-16
 *   code units (JavaScript's `length`).
 */

const TAGS = new Set([
  'b',
  'strong',
  'i',
  'em',
  'u',
  'ins',
  's',
  'strike',
  'del',
  'tg-spoiler',
  'span',
  'a',
  'code',
  'pre',
  'blockquote',
  'tg-emoji',
]);
const NAMED: Readonly<Record<string, string>> = { lt: '<', gt: '>', amp: '&', quot: '"' };

export class EntityParseError extends Error {}

export interface ParsedHtml {
  /** The text after entity parsing. */
  text: string;
  /** The formatting entities found, with UTF-16 offsets. */
  entities: Array<{ type: string; offset: number; length: number; url?: string }>;
}

const byteOffset = (html: string, i: number): number => Buffer.byteLength(html.slice(0, i), 'utf8');

function entityAt(html: string, i: number): { char: string; end: number } {
  const m = /^&(#x[0-9a-fA-F]{1,6}|#[0-9]{1,7}|[a-zA-Z]+);/.exec(html.slice(i, i + 12));
  if (!m) throw new EntityParseError(`Character entity expected at byte offset ${byteOffset(html, i)}`);
  const name = m[1] as string;
  let char: string | undefined;
  if (name.startsWith('#x')) char = String.fromCodePoint(Number.parseInt(name.slice(2), 16));
  else if (name.startsWith('#')) char = String.fromCodePoint(Number(name.slice(1)));
  else char = NAMED[name];
  if (char === undefined) throw new EntityParseError(`Unsupported HTML entity "&${name};"`);
  return { char, end: i + m[0].length };
}

function attributeValue(raw: string, html: string, at: number): string {
  let out = '';
  for (let i = 0; i < raw.length; ) {
    if (raw[i] === '&') {
      const e = entityAt(raw, i);
      out += e.char;
      i = e.end;
    } else if (raw[i] === '<' || raw[i] === '>') {
      throw new EntityParseError(
        `Unexpected "${raw[i]}" in an attribute at byte offset ${byteOffset(html, at)}`,
      );
    } else out += raw[i++];
  }
  return out;
}

/** Parses a message text of `parse_mode: "HTML"`; throws EntityParseError with the Bot API's kind of message. */
export function parseTelegramHtml(html: string): ParsedHtml {
  let text = '';
  const open: Array<{ tag: string; offset: number; url?: string }> = [];
  const entities: ParsedHtml['entities'] = [];
  for (let i = 0; i < html.length; ) {
    const c = html[i] as string;
    if (c === '&') {
      const e = entityAt(html, i);
      text += e.char;
      i = e.end;
      continue;
    }
    if (c === '>') throw new EntityParseError(`Unexpected ">" at byte offset ${byteOffset(html, i)}`);
    if (c !== '<') {
      text += c;
      i++;
      continue;
    }
    const end = html.indexOf('>', i);
    if (end < 0) throw new EntityParseError(`Unclosed start tag at byte offset ${byteOffset(html, i)}`);
    const inner = html.slice(i + 1, end);
    const closing = inner.startsWith('/');
    const m = /^\/?([a-z-]+)(\s[\s\S]*)?$/.exec(inner);
    const tag = m?.[1];
    if (!m || !tag || !TAGS.has(tag))
      throw new EntityParseError(
        `Unsupported ${closing ? 'end' : 'start'} tag "${inner.replace(/^\//, '').split(/\s/)[0]}" at byte offset ${byteOffset(html, i)}`,
      );
    if (closing) {
      const top = open.pop();
      if (!top || top.tag !== tag)
        throw new EntityParseError(
          `Unmatched end tag at byte offset ${byteOffset(html, i)}, expected "</${top?.tag ?? ''}>"`,
        );
      entities.push({
        type: top.tag,
        offset: top.offset,
        length: text.length - top.offset,
        ...(top.url ? { url: top.url } : {}),
      });
    } else {
      const attrs = m[2] ?? '';
      let url: string | undefined;
      if (tag === 'a') {
        const href = /^\s+href="([^"]*)"\s*$/.exec(attrs);
        if (!href)
          throw new EntityParseError(`Expected href in tag "a" at byte offset ${byteOffset(html, i)}`);
        url = attributeValue(href[1] as string, html, i);
      } else if (
        attrs.trim() &&
        tag !== 'span' &&
        tag !== 'code' &&
        tag !== 'tg-emoji' &&
        tag !== 'blockquote'
      ) {
        throw new EntityParseError(
          `Unexpected attributes in tag "${tag}" at byte offset ${byteOffset(html, i)}`,
        );
      }
      open.push({ tag, offset: text.length, ...(url ? { url } : {}) });
    }
    i = end + 1;
  }
  const unclosed = open.pop();
  if (unclosed) throw new EntityParseError(`Can't find end tag corresponding to start tag "${unclosed.tag}"`);
  return { text, entities };
}
