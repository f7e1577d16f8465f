/**
 * The manifest: what happened to one report, kept beside it, so that a retry
 * knows what is left to do and a person can see the truth. Its life, as pure
 * functions (the flow in run-report.ts stores each new state):
 *
 *   (none) ──build──▶ stored ──send──▶ emailed
 *                       │                 ▲
 *                       └──send fails──▶ email_failed ──retry sends the stored email
 *
 * - a rebuild of a report already emailed keeps the record of that send
 *   (unless forced): the report was emailed, and stays so;
 * - every run that touches the report (a build or a send retry) counts one attempt.
 */
import type { Period } from '../time.ts';
import type { StoredObject } from './ports.ts';

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
  /** One record per Telegram chat of the subscription (pipeline/telegram.ts); absent when it names none. */
  telegram?: TelegramRecord[];
}

/** What became of one Telegram chat's message (pipeline/telegram.ts keeps these). */
export interface TelegramRecord {
  chat_id: number | string;
  thread_id: number | null;
  /** posted: the message (and the workbook, when asked for) is in the chat; failed: the last try failed. */
  status: 'posted' | 'failed';
  /** The Bot API's message_id of the message, once posted; of the workbook's, when it was posted. */
  message_id: number | null;
  document_message_id: number | null;
  /** The chat's new id when Telegram said the group had become a supergroup (posted there). */
  migrated_to: number | null;
  posted_at: string | null;
  /** Runs that tried this chat. */
  attempts: number;
  last_error: string | null;
}

/** A stored manifest that is not one (hand-edited, truncated, another program's): the run stops and says so. */
export class ManifestUnreadableError extends Error {
  constructor(where: string, why: string) {
    super(
      `The manifest of the report ${where} is not one this program wrote (${why}); remove it to make and send the report again`,
    );
    this.name = 'ManifestUnreadableError';
  }
}

const STATUSES: readonly Manifest['status'][] = ['stored', 'emailed', 'email_failed'];

/**
 * A stored manifest as the flow may read it: null when there is none, else it
 * must have the fields the flow decides by (status, attempts, recipients, the
 * stored objects), or ManifestUnreadableError names what is wrong, rather
 * than a TypeError deep in the flow or, worse, a decision made on garbage.
 */
export function checkedManifest(value: unknown, where: string): Manifest | null {
  if (value === null) return null;
  const m = value as Partial<Record<keyof Manifest, unknown>>;
  const why =
    typeof value !== 'object' || Array.isArray(value)
      ? 'it is not an object'
      : !STATUSES.includes(m.status as Manifest['status'])
        ? `its status is ${JSON.stringify(m.status) ?? 'missing'}, not one of ${STATUSES.join(', ')}`
        : typeof m.attempts !== 'number'
          ? 'it has no number of attempts'
          : !Array.isArray(m.recipients) || m.recipients.some((r) => typeof r !== 'string')
            ? 'its recipients are not a list of addresses'
            : [m.workbook, m.summary].some((o) => typeof (o as { key?: unknown } | null)?.key !== 'string')
              ? 'it does not name the stored workbook and summary'
              : null;
  if (why !== null) throw new ManifestUnreadableError(where, why);
  return value as Manifest;
}

/** The same people, whatever the order, case, spaces or repeats. */
export function sameRecipients(a: readonly string[], b: readonly string[]): boolean {
  const norm = (l: readonly string[]) => [...new Set(l.map((x) => x.trim().toLowerCase()))].sort().join(',');
  return norm(a) === norm(b);
}

/** What a run asks for, as the manifest's rules see it. */
export interface RunWish {
  /** Recipients of this run (empty: no email). */
  recipients: readonly string[];
  /** A mailer is there and there are recipients. */
  wantsEmail: boolean;
  /** Build and send again whatever was done before. */
  force: boolean;
}

/**
 * What is left to do, from the manifest of an earlier run:
 * - `already_sent`: emailed, and to these recipients (or no email is wanted);
 * - `send_stored`: stored but not emailed to these recipients: only the stored email is left to send;
 * - `build`: everything (no earlier run, forced, or new recipients of a sent report).
 * The flow builds anyway when a document the first two need is missing.
 */
export function nextStep(previous: Manifest | null, wish: RunWish): 'already_sent' | 'send_stored' | 'build' {
  if (!previous || wish.force) return 'build';
  const same = sameRecipients(previous.recipients, wish.recipients);
  if (previous.status === 'emailed' && (!wish.wantsEmail || same)) return 'already_sent';
  if (previous.status !== 'emailed' && wish.wantsEmail && same) return 'send_stored';
  return 'build';
}

/** A rebuild keeps the record of an earlier send: the report was emailed, and stays so (unless forced). */
export function keepsSent(previous: Manifest | null, force: boolean): boolean {
  return previous?.status === 'emailed' && !force;
}

export interface BuiltReport {
  subscription: string;
  period: Period;
  workbook: StoredObject;
  summary: StoredObject;
  /** Recipients of this run. */
  recipients: string[];
  force: boolean;
  /** ISO instant the files were stored. */
  now: string;
}

/** The manifest once a build stored its files: `stored`, or still `emailed` when it keeps an earlier send. */
export function storedManifest(previous: Manifest | null, built: BuiltReport): Manifest {
  const keep = keepsSent(previous, built.force);
  return {
    version: 1,
    subscription: built.subscription,
    period: built.period,
    status: keep ? 'emailed' : 'stored',
    attempts: (previous?.attempts ?? 0) + 1,
    workbook: built.workbook,
    summary: built.summary,
    stored_at: built.now,
    emailed_at: keep ? (previous?.emailed_at ?? null) : null,
    recipients: keep ? (previous?.recipients ?? []) : built.recipients,
    message_id: keep ? (previous?.message_id ?? null) : null,
    last_error: null,
    updated_at: built.now,
    // What was posted to Telegram stays posted, unless forced (like the email).
    ...(previous?.telegram && !built.force ? { telegram: previous.telegram } : {}),
  };
}

/**
 * After a build, whether the email still has to go: it is wanted, and the
 * report was not already emailed to these recipients.
 */
export function needsSending(manifest: Manifest, keptSent: boolean, wish: RunWish): boolean {
  return wish.wantsEmail && !(keptSent && sameRecipients(manifest.recipients, wish.recipients));
}

/** A run that only sends the stored email: one more attempt. */
export function retried(previous: Manifest): Manifest {
  return { ...previous, attempts: previous.attempts + 1 };
}

/** The email reached `recipients` as `messageId` at `now` (ISO). */
export function emailed(manifest: Manifest, recipients: string[], messageId: string, now: string): Manifest {
  return {
    ...manifest,
    status: 'emailed',
    emailed_at: now,
    recipients,
    message_id: messageId,
    last_error: null,
    updated_at: now,
  };
}

/** The send to `recipients` failed at `now` (ISO); the stored report stays as it is. */
export function sendFailed(manifest: Manifest, recipients: string[], error: unknown, now: string): Manifest {
  return {
    ...manifest,
    status: 'email_failed',
    recipients,
    last_error: error instanceof Error ? error.message : String(error),
    updated_at: now,
  };
}
