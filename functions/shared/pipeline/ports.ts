/**
 * The I/O ends of the pipeline: small interfaces with a local adapter (here,
 * `local.ts`) and an AWS one (S3, SES), chosen by the handler or the CLI.
 */
import type { Period } from '../time.ts';

/** Which report: one per subscription and period, so a re-run overwrites it. */
export interface ReportLocation {
  subscription: string;
  period: Period;
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

/**
 * The manifest: what happened to one report, kept beside it, so that a retry
 * knows what is left to do and a person can see the truth.
 */
export interface Manifest {
  version: 1;
  subscription: string;
  period: Period;
  /** stored: files are complete, not emailed yet; emailed: sent; email_failed: the last send failed. */
  status: 'stored' | 'emailed' | 'email_failed';
  /** How many runs touched this report (builds and send retries). */
  attempts: number;
  workbook: StoredObject;
  summary: StoredObject;
  /** ISO instants. */
  stored_at: string;
  emailed_at: string | null;
  /** Who the email is for; it reached them when `status` is `emailed` (kept in the private store; masked in logs). */
  recipients: string[];
  message_id: string | null;
  last_error: string | null;
  updated_at: string;
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

/**
 * An atomic, expiring claim on one report, so concurrent deliveries of the same
 * job do the work once. Local runs need none.
 */
export interface ReportLock {
  /** A token when the claim is ours, null when another unexpired claim holds it. */
  acquire(key: string, leaseMs: number): Promise<string | null>;
  /** Extends the lease; false when the claim is no longer ours. */
  renew(key: string, token: string, leaseMs: number): Promise<boolean>;
  release(key: string, token: string): Promise<void>;
}

export interface Clock {
  /** The real instant, UTC ms. */
  now(): number;
}

export const systemClock: Clock = { now: () => Date.now() };
