/**
 * The mailer over Amazon SES v2: one `SendEmail` with `Content.Raw`, the MIME
 * message built by `mime.ts` (the same builder the local outbox writes), so
 * text, HTML and attachments travel together and the Russian file name keeps
 * its `filename*=UTF-8''…` form.
 *
 * Why Raw rather than Simple: Raw is the long-standing, everywhere-supported way
 * to send attachments with SES v2 (Simple gained `Attachments` only recently),
 * it lets us control every header, and aws-ses-v2-local accepts it (it parses the
 * MIME with mailparser), so the integration tests exercise the very bytes SES gets.
 *
 * Which workbook is attached is the pipeline's decision (`attachLimitBytes`,
 * `DEFAULT_ATTACH_LIMIT_BYTES` in pipeline/send.ts): the mailer sends the
 * attachments it is given and only guards SES's own cap: if the whole message
 * would exceed SES v2's 40 MB, the attachments are dropped (the link is always
 * in the email). Errors say what failed, with recipients masked, and keep `cause`.
 * The SES client is passed in, never constructed here.
 */
import { type SESv2Client, SendEmailCommand } from '@aws-sdk/client-sesv2';
import type { EmailAttachment, EmailMessage, Mailer } from '../../pipeline/ports.ts';
import { maskEmail, maskEmails, maskEmailsIn } from '../mail/mask.ts';
import { buildMime, encodeAddress } from '../mail/mime.ts';

/** SES v2 refuses bigger messages (the MIME text, attachments included). */
export const SES_MAX_MESSAGE_BYTES = 40 * 1024 * 1024;

/** The narrow logger the mailer needs; every address in what it is given is masked. */
export interface MailerLogger {
  info(message: string, data?: Record<string, unknown>): void;
  warn(message: string, data?: Record<string, unknown>): void;
}

export interface SesMailerOptions {
  client: SESv2Client;
  /** SES configuration set (event publishing, dedicated IPs); none by default. */
  configurationSetName?: string;
  logger?: MailerLogger;
}

/** A send that SES refused or that never reached it. `recipients` are masked; `cause` is the SDK error. */
export class MailSendError extends Error {
  override name = 'MailSendError';
  readonly recipients: string[];
  /** HTTP status SES answered with, when it answered. */
  readonly statusCode: number | undefined;

  constructor(message: string, recipients: string[], statusCode: number | undefined, cause: unknown) {
    super(message, { cause });
    this.recipients = recipients;
    this.statusCode = statusCode;
  }
}

/** SES wants a non-ASCII display name as an RFC 2047 encoded-word, on one line. */
function apiAddress(address: string): string {
  return encodeAddress(address).replace(/\r\n /g, ' ');
}

const silent: MailerLogger = { info: () => {}, warn: () => {} };

function describeError(err: unknown): { text: string; status: number | undefined } {
  if (err instanceof Error) {
    const status = (err as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode;
    const text = `${err.name}: ${maskEmailsIn(err.message)}${status ? ` (HTTP ${status})` : ''}`;
    return { text, status };
  }
  return { text: maskEmailsIn(String(err)), status: undefined };
}

export class SesMailer implements Mailer {
  private readonly client: SESv2Client;
  private readonly configurationSetName: string | undefined;
  private readonly log: MailerLogger;

  constructor(options: SesMailerOptions) {
    this.client = options.client;
    this.configurationSetName = options.configurationSetName;
    this.log = options.logger ?? silent;
  }

  async send(message: EmailMessage): Promise<{ messageId: string }> {
    const to = maskEmails(message.to);
    if (message.to.length === 0) throw new Error('Cannot send the report email: no recipients');

    const attachments: EmailAttachment[] = [...(message.attachments ?? [])];
    let raw = Buffer.from(buildMime({ ...message, attachments }), 'utf8');
    if (raw.length > SES_MAX_MESSAGE_BYTES && attachments.length > 0) {
      this.log.warn(
        `Not attaching ${attachments.map((a) => a.fileName).join(', ')}: the message would be ${raw.length} bytes, over SES's ${SES_MAX_MESSAGE_BYTES}; the email keeps the link`,
        { to, bytes: raw.length, limit: SES_MAX_MESSAGE_BYTES },
      );
      attachments.length = 0;
      raw = Buffer.from(buildMime({ ...message, attachments }), 'utf8');
    }
    if (raw.length > SES_MAX_MESSAGE_BYTES) {
      throw new MailSendError(
        `Cannot send the report email to ${to.join(', ')}: ${raw.length} bytes without attachments is over SES's ${SES_MAX_MESSAGE_BYTES}-byte limit`,
        to,
        undefined,
        undefined,
      );
    }

    let messageId: string | undefined;
    try {
      const out = await this.client.send(
        new SendEmailCommand({
          FromEmailAddress: apiAddress(message.from),
          Destination: { ToAddresses: message.to.map(apiAddress) },
          Content: { Raw: { Data: raw } },
          ...(this.configurationSetName ? { ConfigurationSetName: this.configurationSetName } : {}),
        }),
      );
      messageId = out.MessageId;
    } catch (err) {
      const { text, status } = describeError(err);
      throw new MailSendError(
        `SES SendEmail from ${maskEmail(message.from)} to ${to.join(', ')} failed: ${text}`,
        to,
        status,
        err,
      );
    }
    if (!messageId) {
      throw new MailSendError(
        `SES SendEmail to ${to.join(', ')} returned no MessageId; the email may not have been sent`,
        to,
        undefined,
        undefined,
      );
    }
    this.log.info(`Report email sent to ${to.join(', ')}`, {
      to,
      messageId,
      bytes: raw.length,
      attachments: attachments.map((a) => a.fileName),
    });
    return { messageId };
  }
}
