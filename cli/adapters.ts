/**
 * Which storage and mailer the command line uses, from the environment:
 * - `REPORTS_BUCKET` set → S3 (the SDK's standard `AWS_ENDPOINT_URL_S3` points it
 *   at a local server such as s3rver; then path-style addressing is used);
 *   otherwise the output folder.
 * - `MAIL_FROM` and `MAIL_TO` set → SES v2 (`AWS_ENDPOINT_URL_SESV2` for a local
 *   server); otherwise the outbox folder.
 * - `TELEGRAM_BOT_TOKEN` set → the Bot API (cli/telegram.ts); otherwise, beside
 *   the outbox's email, the message the bot would post (a `.telegram.json`).
 * With S3 the email's link is a presigned URL valid for 7 days (the most SigV4
 * allows, and only with long-term credentials); the deployed stack's emails use
 * the download route instead, which signs afresh on each click.
 */
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { SESv2Client } from '@aws-sdk/client-sesv2';
import { createS3Client } from '../functions/shared/adapters/aws/clients.ts';
import { presignDownload } from '../functions/shared/adapters/aws/presign.ts';
import { S3ReportStorage } from '../functions/shared/adapters/aws/s3-storage.ts';
import { SesMailer } from '../functions/shared/adapters/aws/ses-mailer.ts';
import { LocalFolderStorage } from '../functions/shared/adapters/local/folder-storage.ts';
import { OutboxMailer } from '../functions/shared/adapters/local/outbox.ts';
import { TelegramOutbox } from '../functions/shared/adapters/local/telegram-outbox.ts';
import { TelegramBotApi } from '../functions/shared/adapters/telegram/bot-api.ts';
import type {
  Mailer,
  ReportStorage,
  StoredObject,
  TelegramPoster,
} from '../functions/shared/pipeline/ports.ts';
import type { TelegramInput } from './telegram.ts';

export const PRESIGNED_LINK_SECONDS = 7 * 86_400;

export interface CliAdapters {
  storage: ReportStorage;
  mailer: Mailer;
  linkFor: (stored: StoredObject) => Promise<{ url: string; expiresAt?: string }>;
  /** Posts the report's message: the Bot API, the outbox's files, or none (SES without a bot). */
  telegram: TelegramPoster | null;
  /** The outbox's Telegram files, when the message is written rather than posted. */
  telegramOutbox: TelegramOutbox | null;
  /** What was chosen, for the first lines of output. */
  notes: string[];
}

export function chooseAdapters(
  env: NodeJS.ProcessEnv,
  outDir: string,
  now: () => number,
  telegramIn: TelegramInput | null = null,
): CliAdapters {
  const notes: string[] = [];
  let storage: ReportStorage;
  let linkFor: CliAdapters['linkFor'];
  if (env.REPORTS_BUCKET) {
    const client = createS3Client(env);
    const bucket = env.REPORTS_BUCKET;
    storage = new S3ReportStorage({ client, bucket });
    linkFor = async (stored) => ({
      url: await presignDownload(client, bucket, stored.key, { expiresInSeconds: PRESIGNED_LINK_SECONDS }),
      expiresAt: new Date(now() + PRESIGNED_LINK_SECONDS * 1000).toISOString(),
    });
    notes.push(`Storing in s3://${bucket}`);
  } else {
    storage = new LocalFolderStorage(outDir);
    linkFor = async (stored) => ({ url: pathToFileURL(stored.location).href });
  }
  let mailer: Mailer;
  if (env.MAIL_FROM && env.MAIL_TO) {
    mailer = new SesMailer({ client: new SESv2Client({}) });
    notes.push('Sending the email through SES');
  } else {
    mailer = new OutboxMailer(join(outDir, 'outbox'));
  }
  let telegram: TelegramPoster | null = null;
  let telegramOutbox: TelegramOutbox | null = null;
  if (telegramIn?.token) {
    telegram = new TelegramBotApi({ baseUrl: telegramIn.apiUrl, token: telegramIn.token });
    notes.push(`Posting to the Telegram chat ${telegramIn.chat.chat_id}`);
  } else if (mailer instanceof OutboxMailer) {
    telegram = telegramOutbox = new TelegramOutbox(join(outDir, 'outbox'));
  }
  return { storage, mailer, linkFor, telegram, telegramOutbox, notes };
}
