/**
 * The I/O ends of the pipeline: small interfaces with a local adapter
 * (adapters/local/: a folder, an outbox) and an AWS one (adapters/aws/: S3, SES,
 * DynamoDB), chosen by the handler or the CLI. The pipeline imports these, never
 * an adapter. (The manifest kept beside each report is pipeline/manifest.ts.)
 */
import type { Period } from '../time.ts';

/**
 * Which report: one per subscription and period, so a re-run overwrites it; a
 * partial report (its period ends after the moment it was made) is one per
 * `as_of` besides, so it never overwrites, or stands for, the whole period's.
 */
export interface ReportLocation {
  subscription: string;
  period: Period;
  /** A partial report's moment, local `YYYY-MM-DD hh:mm:ss` (its `period.as_of`); null or absent: the whole period. */
  as_of?: string | null;
  /** The report's language and settings when not the defaults (location.ts `reportVariant`); null or absent: the default report. */
  variant?: string | null;
}

export interface StoredObject {
  /** Storage key (S3 key or a path relative to the output folder). */
  key: string;
  /** Where a person finds it locally (absolute path or s3:// URI). */
  location: string;
  bytes: number;
}

/** The JSON documents kept beside each workbook. */
export type JsonDocument = 'summary' | 'manifest' | 'email';

export interface ReportStorage {
  /**
   * Stores the workbook that `write` streams into `out`; nothing under the final
   * name until it is complete (a failed write leaves the previous report alone).
   * `fileName` is the name a person sees when downloading it.
   */
  saveWorkbook(
    loc: ReportLocation,
    fileName: string,
    write: (out: NodeJS.WritableStream) => Promise<void>,
  ): Promise<StoredObject>;
  /** Stores one JSON document of a report (overwriting the previous one). */
  saveJson(loc: ReportLocation, doc: JsonDocument, value: unknown): Promise<StoredObject>;
  /** One JSON document of a report, or null when there is none. */
  loadJson<T>(loc: ReportLocation, doc: JsonDocument): Promise<T | null>;
  /** The bytes of a stored object (used to attach small workbooks). */
  readObject(key: string): Promise<Buffer>;
}

export interface EmailAttachment {
  fileName: string;
  contentType: string;
  content: Buffer;
}

export interface EmailMessage {
  from: string;
  to: string[];
  subject: string;
  text: string;
  html: string;
  attachments?: EmailAttachment[];
}

export interface Mailer {
  send(message: EmailMessage): Promise<{ messageId: string; location?: string }>;
}

/** One Telegram chat a report is posted to: a group's id (or `@channel`), and a forum topic when set. */
/**
 * What went wrong, as the Bot API said it: blocked (403: the bot was blocked
 * or removed), migrated (the group is now a supergroup: `migrateTo`), not_found
 * (chat or topic), unauthorized (the token), rejected (any other 4xx),
 * unavailable (429 or 5xx past the deadline, or no answer).
 */
export type TelegramErrorKind =
  | 'blocked'
  | 'migrated'
  | 'not_found'
  | 'unauthorized'
  | 'rejected'
  | 'unavailable';

export interface TelegramChat {
  chat_id: number | string;
  thread_id?: number | undefined;
}

/**
 * The Bot API, as the pipeline needs it (adapters/telegram/bot-api.ts; the
 * local demo's writes files). Failures are TelegramApiError (pipeline/telegram.ts).
 */
export interface TelegramPoster {
  /** Posts `html` (HTML parse mode) with an optional URL button; the message's id. */
  sendMessage(
    chat: TelegramChat,
    message: { html: string; button: { text: string; url: string } | null },
  ): Promise<{ messageId: number; location?: string }>;
  /** Posts a file with a plain-text caption; the message's id. */
  sendDocument(
    chat: TelegramChat,
    document: { fileName: string; content: Buffer; caption: string },
  ): Promise<{ messageId: number; location?: string }>;
}

/**
 * An atomic, expiring claim on one report, so concurrent deliveries of the same
 * job do the work once. Local runs need none.
 */
export interface ReportLock {
  /** A token when the claim is ours, null when another unexpired claim holds it. */
  acquire(key: string, leaseMs: number): Promise<string | null>;
  /** Extends the lease; false when the claim is no longer ours (another run holds it, or it ran out). */
  renew(key: string, token: string, leaseMs: number): Promise<boolean>;
  /**
   * The fence before a step others see (the manifest, an email): one
   * conditional write that succeeds only while the claim is ours and unexpired,
   * records `step` on it and extends the lease, so no other run can take the
   * claim for a lease from now. False when the claim is no longer ours.
   */
  prove(key: string, token: string, leaseMs: number, step: string): Promise<boolean>;
  release(key: string, token: string): Promise<void>;
}

export interface Clock {
  /** The real instant, UTC ms. */
  now(): number;
}

export const systemClock: Clock = { now: () => Date.now() };
