/**
 * One MIME builder for every way an email leaves: the local outbox writes it as
 * an `.eml`, the SES mailer sends it as `Content.Raw`. multipart/mixed (the
 * attachments) around multipart/alternative (plain text, then HTML); every body
 * part base64 in UTF-8, so no line is ever too long and no byte is 8-bit.
 */
import { randomUUID } from 'node:crypto';
import type { EmailMessage } from '../../pipeline/ports.ts';
import { asciiFileName, contentDispositionFileName } from '../../report/format.ts';

export interface MimeOptions {
  /** `Message-ID` (without angle brackets); omitted when absent (SES sets its own). */
  messageId?: string;
  /** `Date` header; omitted when absent (SES sets it on arrival). */
  date?: Date;
}

const PRINTABLE_ASCII = /^[\x20-\x7e]*$/;
/** Bytes of UTF-8 per encoded-word: 45 bytes → 60 base64 chars, 72 with `=?UTF-8?B?…?=` (RFC 2047 caps at 75). */
const WORD_BYTES = 45;
/**
 * A plain ASCII value longer than this is sent as encoded-words, which fold:
 * no header line may pass 998 characters (RFC 5322 2.1.1), and a mail server
 * refuses or breaks one that does.
 */
const PLAIN_AT_MOST = 900;

/** Removes CR and LF so data can never start a new header line (header injection). */
function oneLine(value: string): string {
  return value.replace(/[\r\n]+/g, ' ');
}

/**
 * A header value: as it is when plain ASCII, else RFC 2047 `B` encoded-words of
 * at most 75 characters, folded onto continuation lines, never splitting a character.
 */
export function encodeHeader(value: string): string {
  const clean = oneLine(value);
  if (PRINTABLE_ASCII.test(clean) && clean.length <= PLAIN_AT_MOST) return clean;
  const words: string[] = [];
  let chunk = '';
  for (const ch of clean) {
    if (Buffer.byteLength(chunk + ch, 'utf8') > WORD_BYTES) {
      words.push(chunk);
      chunk = '';
    }
    chunk += ch;
  }
  if (chunk) words.push(chunk);
  return words.map((w) => `=?UTF-8?B?${Buffer.from(w, 'utf8').toString('base64')}?=`).join('\r\n ');
}

/** An address header entry: `addr` or `Name <addr>`, with a non-ASCII name encoded. */
export function encodeAddress(address: string): string {
  const clean = oneLine(address).trim();
  const m = /^(.*?)\s*<([^<>]+)>$/.exec(clean);
  if (!m) return clean;
  const name = (m[1] ?? '').replace(/^"(.*)"$/, '$1').trim();
  const addr = (m[2] ?? '').trim();
  if (!name) return addr;
  const shown = PRINTABLE_ASCII.test(name) ? `"${name.replace(/["\\]/g, '\\$&')}"` : encodeHeader(name);
  return `${shown} <${addr}>`;
}

function base64Lines(data: Buffer | string): string {
  const b64 = Buffer.from(data).toString('base64');
  return b64.replace(/.{1,76}/g, '$&\r\n');
}

/**
 * An address list, one address per line: folded after each comma, so a
 * subscription's 50 recipients never make a header line longer than 998.
 */
export function encodeAddressList(addresses: readonly string[]): string {
  return addresses.map(encodeAddress).join(',\r\n ');
}

/** The whole message as RFC 5322 text with CRLF line ends. */
export function buildMime(message: EmailMessage, options: MimeOptions = {}): string {
  const alt = `alt-${randomUUID()}`;
  const mixed = `mixed-${randomUUID()}`;
  const lines = [
    `From: ${encodeAddress(message.from)}`,
    `To: ${encodeAddressList(message.to)}`,
    `Subject: ${encodeHeader(message.subject)}`,
    ...(options.date ? [`Date: ${options.date.toUTCString()}`] : []),
    ...(options.messageId ? [`Message-ID: <${oneLine(options.messageId)}>`] : []),
    'MIME-Version: 1.0',
    `Content-Type: multipart/mixed; boundary="${mixed}"`,
    '',
    `--${mixed}`,
    `Content-Type: multipart/alternative; boundary="${alt}"`,
    '',
    `--${alt}`,
    'Content-Type: text/plain; charset=UTF-8',
    'Content-Transfer-Encoding: base64',
    '',
    base64Lines(message.text),
    `--${alt}`,
    'Content-Type: text/html; charset=UTF-8',
    'Content-Transfer-Encoding: base64',
    '',
    base64Lines(message.html),
    `--${alt}--`,
  ];
  for (const a of message.attachments ?? []) {
    lines.push(
      `--${mixed}`,
      `Content-Type: ${oneLine(a.contentType)}; name="${asciiFileName(a.fileName)}"`,
      'Content-Transfer-Encoding: base64',
      `Content-Disposition: attachment; ${contentDispositionFileName(a.fileName)}`,
      '',
      base64Lines(a.content),
    );
  }
  lines.push(`--${mixed}--`, '');
  return lines.join('\r\n');
}

/** The outbox's `.eml`: the MIME message with its id and date. */
export function toEml(message: EmailMessage, messageId: string, date: Date): string {
  return buildMime(message, { messageId, date });
}
