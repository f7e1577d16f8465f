/**
 * What the pipeline is asked (ReportRequest), what it is handed
 * (PipelineDeps: the ports and their settings), what it tells on the way
 * (PipelineProgress) and what it answers (ReportResult): the types shared by
 * the flow (run-report.ts) and its steps (send.ts, telegram.ts), so no step
 * imports the flow.
 */
import type { CallSource, FetchedCalls } from '../calls/source.ts';
import type { FetchProgress } from '../dataapi/client.ts';
import type { Language } from '../language.ts';
import type { QuickLinkInput } from '../report/email/model.ts';
import type { ReportSettings, Summary } from '../report/types.ts';
import type { Period } from '../time.ts';
import type { ClaimFence, HeartbeatTimer } from './claim.ts';
import type { Comparison } from './comparison.ts';
import type { Manifest } from './manifest.ts';
import type {
  Clock,
  Mailer,
  ReportLock,
  ReportStorage,
  StoredObject,
  TelegramChat,
  TelegramErrorKind,
  TelegramPoster,
} from './ports.ts';

export interface ReportRequest {
  /** Subscription id (the CLI uses "local"). */
  subscription: string;
  period: Period;
  settings?: Partial<ReportSettings>;
  language: Language;
  /** Recipients; no email when empty or absent. */
  recipients?: string[];
  /** Sender address. */
  from?: string;
  /** Filter sent to the Data API, recorded in the summary's `source`. */
  filter?: unknown;
  /** Build and send again even when this report was already emailed to these recipients. */
  force?: boolean;
  /** Attach the workbook when it is at most this big (default 5 MB); the link is always there. */
  attachLimitBytes?: number;
  /** Telegram chats to post the report to after its email (pipeline/telegram.ts); none when empty or absent. */
  telegram?: TelegramChat[];
  /** Post the workbook to the chats too (under Telegram's 50 MB). */
  telegramWorkbook?: boolean;
}

export interface PipelineDeps {
  source: CallSource;
  storage: ReportStorage;
  mailer?: Mailer;
  clock: Clock;
  /** Turns a stored workbook into the link the email carries. */
  linkFor?: (
    stored: StoredObject,
  ) => Promise<{ url: string; expiresAt?: string; quick?: readonly QuickLinkInput[] }>;
  onProgress?: (event: PipelineProgress) => void;
  /** Claims the report for this run, so concurrent deliveries do the work once. */
  lock?: ReportLock;
  /** The claim's lease (default LOCK_LEASE_MS, claim.ts). */
  lockLeaseMs?: number;
  /** What beats the claim's heartbeat (default a timer; a test beats it by hand). */
  lockTimer?: HeartbeatTimer;
  /**
   * Set by runReport while it holds the claim, never by a caller: the fence
   * every step proves (`proveClaim`) before anything others see (the manifest,
   * an email, any later channel).
   */
  fence?: ClaimFence;
  /** Posts to Telegram chats (the Bot API, or the local demo's files). */
  telegram?: TelegramPoster;
}

export type PipelineProgress =
  /** `comparison`: the fetch of the like period, when it is computed (it comes first). */
  | ({ phase: 'fetch'; comparison?: boolean } & FetchProgress)
  | { phase: 'figures'; calls: number }
  | { phase: 'workbook'; rows: number; total: number }
  | { phase: 'stored'; key: string }
  | { phase: 'mailed'; to: number };

/** What a run did: built (and maybe sent), only sent a stored report, or nothing because it was already sent. */
export type ReportOutcome = 'built' | 'built_and_sent' | 'sent_stored' | 'already_sent';

export interface ReportResult {
  outcome: ReportOutcome;
  summary: Summary;
  manifest: Manifest;
  email: { messageId: string; location?: string } | null;
  /** What the fetch brought (absent when nothing was fetched). */
  fetched: Omit<FetchedCalls, 'calls'> | null;
  /** How `summary.previous` was made, and what its fetch brought (null when nothing was built). */
  comparison: Pick<Comparison, 'made' | 'fetched'> | null;
  /** What the Telegram chats got (absent when the request names none). */
  telegram?: TelegramOutcome;
}

/** One chat that could not be posted to, in words naming the subscription and what to do. */
export interface TelegramFailure {
  chat: TelegramChat;
  kind: TelegramErrorKind;
  message: string;
}

export interface TelegramOutcome {
  /** Chats posted to by this run, and chats already posted before it. */
  posted: number;
  already: number;
  failed: TelegramFailure[];
  /** Things a person should change although the message went (a migrated group). */
  warnings: string[];
}
