/**
 * The report email through SES v2, against a real aws-ses-v2-local server: what
 * arrives is what a manager would get (subject, link in both parts, recipients,
 * the workbook attached as given). SES refusals are simulated with
 * aws-sdk-client-mock, since the local server accepts everything well-formed.
 */
import { SESv2Client, SendEmailCommand } from '@aws-sdk/client-sesv2';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  type MailerLogger,
  MailSendError,
  SES_MAX_MESSAGE_BYTES,
  SesMailer,
} from '../../functions/shared/adapters/aws/ses-mailer.ts';
import { maskEmail, maskEmails, maskEmailsIn } from '../../functions/shared/adapters/mail/mask.ts';
import type { EmailMessage } from '../../functions/shared/pipeline/ports.ts';
import { buildEmail } from '../../functions/shared/report/email/build-email.ts';
import { type SesLocal, startSesLocal } from '../support/ses-local.ts';
import { makeSummary } from '../support/summaries.ts';

const LINK = 'https://reports.example.com/d/eyJrIjoiY2FsbHMvMjAyNC0xMC0yMSJ9.c2lnbmF0dXJl';
const FROM = 'Отчёты <reports@example.com>';
const TO = ['ivan.petrov@example.com', 'head.of.sales@example.org'];
const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

function reportEmail(attachments?: EmailMessage['attachments']): EmailMessage {
  const content = buildEmail({
    summary: makeSummary(),
    language: 'ru',
    link: LINK,
    linkExpiresAt: '2024-11-20T09:00:00.000Z',
  });
  return { from: FROM, to: TO, ...content, ...(attachments ? { attachments } : {}) };
}

function workbook(bytes: number): NonNullable<EmailMessage['attachments']>[number] {
  const content = Buffer.alloc(bytes);
  for (let i = 0; i < bytes; i++) content[i] = (i * 31 + 7) % 256;
  return { fileName: 'Звонки 2024-10-21.xlsx', contentType: XLSX, content };
}

function recordingLogger(): MailerLogger & { lines: string[] } {
  const lines: string[] = [];
  const record = (message: string, data?: Record<string, unknown>) => {
    lines.push(`${message} ${JSON.stringify(data ?? {})}`);
  };
  return { lines, info: record, warn: record };
}

describe('SesMailer against aws-ses-v2-local', () => {
  let ses: SesLocal;

  beforeAll(async () => {
    ses = await startSesLocal();
  });
  afterAll(async () => {
    await ses.stop();
  });
  beforeEach(async () => {
    await ses.clear();
  });

  async function received(messageId: string) {
    const found = (await ses.emails()).filter((e) => e.messageId === messageId);
    expect(found).toHaveLength(1);
    return found[0] as NonNullable<(typeof found)[number]>;
  }

  it('delivers the email with its subject, to the configured recipients, from the sender', async () => {
    const mailer = new SesMailer({ client: ses.client });
    const { messageId } = await mailer.send(reportEmail());
    const email = await received(messageId);
    expect(email.subject).toBe('Звонки за 21.10.2024: пропущено 12 из 240 (5%), не перезвонили 3');
    expect(email.to).toEqual(TO);
    expect(email.from).toContain('reports@example.com');
    expect(email.from).toContain('Отчёты');
  });

  it('carries the download link in both the HTML and the plain text, and the figures', async () => {
    const { messageId } = await new SesMailer({ client: ses.client }).send(reportEmail());
    const email = await received(messageId);
    expect(email.html).toContain(`href="${LINK}"`);
    expect(email.text).toContain(LINK);
    expect(email.text).toContain('Ссылка действует до 20.11.2024');
    expect(email.text).toContain('Пропущенные: 12 (5%)');
    expect(email.html).toContain('data-chart="hours"');
    expect(email.html).not.toContain('<img');
  });

  it('attaches a small workbook under its Russian file name, byte for byte', async () => {
    const book = workbook(64 * 1024);
    const { messageId } = await new SesMailer({ client: ses.client }).send(reportEmail([book]));
    const email = await received(messageId);
    expect(email.attachments).toHaveLength(1);
    const [att] = email.attachments;
    expect(att?.filename).toBe('Звонки 2024-10-21.xlsx');
    expect(att?.contentType).toBe(XLSX);
    expect(att?.size).toBe(book.content.length);
    expect(att?.content.equals(book.content)).toBe(true);
  });

  it('logs the send with masked recipients, never an address', async () => {
    const log = recordingLogger();
    const mailer = new SesMailer({ client: ses.client, logger: log });
    await mailer.send(reportEmail([workbook(32 * 1024)]));
    expect(
      log.lines.some((l) => l.startsWith('Report email sent to i***@example.com, h***@example.org')),
    ).toBe(true);
    for (const line of log.lines) for (const address of TO) expect(line).not.toContain(address);
  });

  it('wraps a failure to reach SES with what failed, masked recipients and the cause', async () => {
    const gone = await startSesLocal();
    await gone.stop();
    const client = new SESv2Client({
      endpoint: gone.endpoint,
      region: 'us-east-1',
      credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
      maxAttempts: 1,
    });
    const mailer = new SesMailer({ client });
    const err = await mailer.send(reportEmail()).then(
      () => null,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(MailSendError);
    const e = err as MailSendError;
    expect(e.message).toMatch(
      /^SES SendEmail from r\*\*\*@example\.com to i\*\*\*@example\.com, h\*\*\*@example\.org failed: /,
    );
    for (const address of TO) expect(e.message).not.toContain(address);
    expect(e.recipients).toEqual(['i***@example.com', 'h***@example.org']);
    expect(e.cause).toBeInstanceOf(Error);
  });
});

describe('SesMailer with a refusing SES (mocked client)', () => {
  it('masks the addresses SES quotes in its refusal and keeps the SDK error as the cause', async () => {
    const client = new SESv2Client({ region: 'eu-west-1' });
    const mock = mockClient(client);
    const refusal = Object.assign(
      new Error(
        'Email address is not verified. The following identities failed the check in region EU-WEST-1: ivan.petrov@example.com',
      ),
      { name: 'MessageRejected', $metadata: { httpStatusCode: 400 } },
    );
    mock.on(SendEmailCommand).rejects(refusal);
    const err = await new SesMailer({ client }).send(reportEmail()).then(
      () => null,
      (e: unknown) => e as MailSendError,
    );
    expect(err?.message).toBe(
      'SES SendEmail from r***@example.com to i***@example.com, h***@example.org failed: MessageRejected: Email address is not verified. The following identities failed the check in region EU-WEST-1: i***@example.com (HTTP 400)',
    );
    expect(err?.statusCode).toBe(400);
    expect(err?.cause).toBe(refusal);
    mock.restore();
  });

  it('sends Raw MIME to the recipients, with the configuration set and an encoded sender name', async () => {
    const client = new SESv2Client({ region: 'eu-west-1' });
    const mock = mockClient(client);
    mock.on(SendEmailCommand).resolves({ MessageId: 'm-1' });
    const out = await new SesMailer({ client, configurationSetName: 'reports' }).send(reportEmail());
    expect(out).toEqual({ messageId: 'm-1' });
    const input = mock.commandCalls(SendEmailCommand)[0]?.args[0].input;
    expect(input?.ConfigurationSetName).toBe('reports');
    expect(input?.Destination?.ToAddresses).toEqual(TO);
    // SES wants a non-ASCII sender name as an encoded-word.
    expect(input?.FromEmailAddress).toBe(
      `=?UTF-8?B?${Buffer.from('Отчёты').toString('base64')}?= <reports@example.com>`,
    );
    const raw = Buffer.from(input?.Content?.Raw?.Data ?? new Uint8Array()).toString('utf8');
    expect(raw).toContain('Content-Type: multipart/alternative');
    expect(raw).toMatch(/^Subject: =\?UTF-8\?B\?/m);
    mock.restore();
  });

  it("attaches every workbook it is given under SES's cap: which to attach is the pipeline's choice", async () => {
    const client = new SESv2Client({ region: 'eu-west-1' });
    const mock = mockClient(client);
    mock.on(SendEmailCommand).resolves({ MessageId: 'm-3' });
    // Over the pipeline's default attachment limit (5 MB): the mailer no longer has one of its own.
    await new SesMailer({ client }).send(reportEmail([workbook(6 * 1024 * 1024)]));
    const data = mock.commandCalls(SendEmailCommand)[0]?.args[0].input.Content?.Raw?.Data;
    expect(Buffer.from(data ?? new Uint8Array()).toString('utf8')).toContain(
      'filename="Zvonki 2024-10-21.xlsx"',
    );
    mock.restore();
  });

  it("drops attachments that would push the message over SES's 40 MB, and still sends", async () => {
    const client = new SESv2Client({ region: 'eu-west-1' });
    const mock = mockClient(client);
    mock.on(SendEmailCommand).resolves({ MessageId: 'm-2' });
    const big = { fileName: 'big.xlsx', contentType: XLSX, content: Buffer.alloc(31 * 1024 * 1024) };
    const mailer = new SesMailer({ client });
    await mailer.send(reportEmail([big]));
    const data = mock.commandCalls(SendEmailCommand)[0]?.args[0].input.Content?.Raw?.Data;
    expect(data?.length).toBeLessThan(SES_MAX_MESSAGE_BYTES);
    expect(Buffer.from(data ?? new Uint8Array()).toString('utf8')).not.toContain('big.xlsx');
    mock.restore();
  });
});

describe('masking addresses for logs', () => {
  it('keeps the first letter and the domain', () => {
    expect(maskEmail('ivan.petrov@example.com')).toBe('i***@example.com');
    expect(maskEmail('Иван Петров <ivan.petrov@example.com>')).toBe('i***@example.com');
    expect(maskEmail('not-an-address')).toBe('***');
    expect(maskEmails(['a@x.ru', 'bb@y.ru'])).toEqual(['a***@x.ru', 'b***@y.ru']);
  });

  it('masks every address inside free text', () => {
    expect(maskEmailsIn('to ivan@example.com, <olga@example.org>; done')).toBe(
      'to i***@example.com, <o***@example.org>; done',
    );
  });
});
