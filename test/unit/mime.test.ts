/**
 * The MIME message's headers stay within what mail servers accept: no line
 * longer than 998 characters (RFC 5322 2.1.1), with a subscription's allowed
 * 50 recipients, long names and a long subject; and what folds unfolds to the
 * same addresses. CR and LF in any field never start a header of their own.
 */
import { describe, expect, it } from 'vitest';
import { buildMime, encodeHeader } from '../../functions/shared/adapters/mail/mime.ts';
import type { EmailMessage } from '../../functions/shared/pipeline/ports.ts';

/** The allowed maximum of a subscription (config.ts), each with a long address and a long Cyrillic name. */
const FIFTY = Array.from(
  { length: 50 },
  (_, i) =>
    `Руководитель отдела продаж номер ${i + 1} <head.of.sales.department.${i + 1}@branch-office.example.com>`,
);

function message(overrides: Partial<EmailMessage> = {}): EmailMessage {
  return {
    from: 'Отчёты о звонках <reports@example.com>',
    to: FIFTY,
    subject: 'Звонки за 21.10.2024: пропущено 3 из 3 (100%), не перезвонили 1',
    text: 'x',
    html: '<p>x</p>',
    ...overrides,
  };
}

/** The header block, unfolded: each header on one line. */
function headers(mime: string): Map<string, string> {
  const block = mime.slice(0, mime.indexOf('\r\n\r\n')).replace(/\r\n[ \t]/g, ' ');
  return new Map(
    block.split('\r\n').map((line) => {
      const at = line.indexOf(':');
      return [line.slice(0, at), line.slice(at + 1).trim()] as const;
    }),
  );
}

describe('MIME headers', () => {
  it('fold 50 recipients so that no line of the message is longer than 998 characters', () => {
    const mime = buildMime(message());
    const longest = Math.max(...mime.split('\r\n').map((l) => l.length));
    expect(longest).toBeLessThanOrEqual(998);
    // Unfolded, the To header holds the 50 recipients, in order.
    const to = headers(mime).get('To') ?? '';
    const addresses = [...to.matchAll(/<([^<>]+)>/g)].map((m) => m[1]);
    expect(addresses).toEqual(FIFTY.map((a) => /<(.+)>/.exec(a)?.[1]));
  });

  it('fold 50 bare addresses the same way', () => {
    const bare = FIFTY.map((a) => /<(.+)>/.exec(a)?.[1] ?? '');
    const mime = buildMime(message({ to: bare }));
    expect(Math.max(...mime.split('\r\n').map((l) => l.length))).toBeLessThanOrEqual(998);
    expect((headers(mime).get('To') ?? '').split(/,\s*/)).toEqual(bare);
  });

  it('fold a plain ASCII subject past the limit as encoded-words, which decode to the subject', () => {
    const subject = 'Calls '.repeat(300).trim();
    const mime = buildMime(message({ subject }));
    expect(Math.max(...mime.split('\r\n').map((l) => l.length))).toBeLessThanOrEqual(998);
    const decoded = (headers(mime).get('Subject') ?? '')
      .split(' ')
      .map((w) => Buffer.from(/^=\?UTF-8\?B\?(.*)\?=$/.exec(w)?.[1] ?? '', 'base64').toString('utf8'))
      .join('');
    expect(decoded).toBe(subject);
  });

  it('keep a short ASCII value as it is', () => {
    expect(encodeHeader('Calls for 2024-10-21')).toBe('Calls for 2024-10-21');
  });

  it.each([
    ['the subject', { subject: 'Звонки\r\nBcc: victim@example.com' }],
    ['a recipient', { to: ['head@example.com\r\nBcc: victim@example.com'] }],
    ['a recipient’s name', { to: ['Head\r\nBcc: victim@example.com <head@example.com>'] }],
    ['the sender', { from: 'reports@example.com\nBcc: victim@example.com' }],
    [
      'an attachment’s type',
      {
        attachments: [
          {
            fileName: 'a.xlsx',
            contentType: 'text/plain\r\nBcc: victim@example.com',
            content: Buffer.from('x'),
          },
        ],
      },
    ],
    [
      'an attachment’s name',
      {
        attachments: [
          {
            fileName: 'a\r\nBcc: victim@example.com.xlsx',
            contentType: 'text/plain',
            content: Buffer.from('x'),
          },
        ],
      },
    ],
  ])('never let CR/LF in %s start a header', (_where, overrides) => {
    const mime = buildMime(message(overrides as Partial<EmailMessage>));
    expect(mime).not.toMatch(/\r\nBcc:/i);
    expect(mime.split(/\r\n/).some((l) => /^Bcc:/i.test(l))).toBe(false);
  });
});
