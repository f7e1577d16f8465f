/**
 * Configuration, validated once with messages that name the bad key.
 *
 * - `subscriptionSchema`: one subscription (who gets which report when); the
 *   same schema checks the deploy-time config file (infra/) and the runtime copy.
 * - `runtimeConfigSchema`: what a Lambda reads from its environment at cold
 *   start (set by the stack). Secrets are never here: only their ARNs.
 * - `timeZoneSchema`, `emailSchema`, `DEFAULT_DATA_API_URL`: the validators and
 *   default that infra/config.ts uses for its own keys too.
 * - `normalWorkingHours`, `workingHoursSchema`: a subscription's working hours
 *   (report-metrics.md, "Working hours"), checked by the one parser and kept in
 *   their normal text form; the command line and the Reports API check theirs
 *   with `normalWorkingHours` too.
 */
import * as z from 'zod';
import { validateFilter } from './dataapi/filter.ts';
import { DEFAULT_LANGUAGE, LANGUAGES } from './language.ts';
import { assertTimeZone, DEFAULT_TIMEZONE } from './time.ts';
import { formatWorkingHours } from './working-hours/format.ts';
import { parseWorkingHours, WorkingHoursError } from './working-hours/parse.ts';

/** The Data API host of UIS (CoMagic and CallGear have their own; a key works only on its brand's host). */
export const DEFAULT_DATA_API_URL = 'https://dataapi.uiscom.ru/v2.0';

/** An IANA time zone, with the message of `assertTimeZone` when it is not one. */
export const timeZoneSchema = z.string().superRefine((tz, ctx) => {
  try {
    assertTimeZone(tz);
  } catch (e) {
    ctx.addIssue({ code: 'custom', message: (e as Error).message });
  }
});

export const emailSchema = z.email({ message: 'must be an email address' });

/**
 * Working hours in the contract's text form → their normal text form, or null
 * for an empty text (no working hours: always open). This is what a report's
 * `settings.working_hours` holds. Throws a WorkingHoursError (one line naming
 * the part) for anything the grammar refuses.
 */
export function normalWorkingHours(text: string): string | null {
  return formatWorkingHours(parseWorkingHours(text));
}

/**
 * A subscription's working hours: the text form, kept in its normal form
 * (null when empty or not given). A refusal is the parser's own line, so synth
 * says e.g. `subscriptions[0].working_hours: working hours: "fri-mon 09:00-18:00": …`.
 */
export const workingHoursSchema = z
  .string({ message: 'must be text such as "mon-fri 09:00-18:00; sat 10:00-16:00", or null' })
  .transform((text, ctx) => {
    try {
      return normalWorkingHours(text);
    } catch (e) {
      if (!(e instanceof WorkingHoursError)) throw e;
      ctx.addIssue({ code: 'custom', message: e.message });
      return z.NEVER;
    }
  });

export const settingsSchema = z
  .object({
    sla_seconds: z.number().int().min(1).max(3600).optional(),
    short_call_seconds: z.number().int().min(0).max(600).optional(),
    callback_horizon_hours: z.number().min(0).max(168).optional(),
  })
  .strict();

/** The longest a link may work, days (SETTING_LIMITS.linkTtlDays.max; a revocation is kept that long). */
const LINK_TTL_MAX_DAYS = 3650;

export const DAYS_OF_WEEK = ['MON', 'TUE', 'WED', 'THU', 'FRI', 'SAT', 'SUN'] as const;

/** The Bot API's own host; a self-hosted Bot API server has its own (TELEGRAM_API_URL, telegramApiUrl). */
export const DEFAULT_TELEGRAM_API_URL = 'https://api.telegram.org';

const CHAT_ID_MESSAGE =
  'must be a chat id, a whole number such as -1001234567890 (not in quotes), or a channel\'s "@username"';

/** A Telegram chat of a subscription: a group's id (or a channel's @username), and a forum topic. */
export const telegramChatSchema = z
  .object({
    chat_id: z.union(
      [
        z
          .number()
          .int(CHAT_ID_MESSAGE)
          .refine((n) => n !== 0 && Number.isSafeInteger(n), CHAT_ID_MESSAGE),
        z.string().regex(/^@[A-Za-z][A-Za-z0-9_]{3,31}$/, CHAT_ID_MESSAGE),
      ],
      { message: CHAT_ID_MESSAGE },
    ),
    thread_id: z.number().int('must be a whole number').positive('must be a topic id, above 0').optional(),
  })
  .strict();

/** A subscription's or an account's id: also a schedule's name and part of storage keys. */
export const catalogIdSchema = z
  .string({ message: 'must be text' })
  .regex(/^[a-z0-9][a-z0-9-]{0,39}$/, 'must be 1–40 lowercase letters, digits or "-"');

/** The account a subscription without `account` reads: the deployment's own (MGF_API_URL, its key secret). */
export const DEFAULT_ACCOUNT_ID = 'default';

export const subscriptionSchema = z
  .object({
    id: catalogIdSchema,
    /** The Data API account it reads (README, "Many customers"); absent: DEFAULT_ACCOUNT_ID. */
    account: catalogIdSchema.optional(),
    report_id: z.number().int().positive().optional(),
    /** Optional Data API filter (e.g. one team's lines), checked like the client checks it. */
    filter: z
      .unknown()
      .optional()
      .superRefine((f, ctx) => {
        if (f === undefined) return;
        try {
          validateFilter(f);
        } catch (e) {
          ctx.addIssue({ code: 'custom', message: (e as Error).message });
        }
      }),
    recipients: z.array(emailSchema).min(1, 'needs at least one recipient').max(50),
    schedule: z
      .object({
        time: z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'must be a local time HH:MM'),
        days: z
          .array(z.enum(DAYS_OF_WEEK))
          .min(1)
          .default([...DAYS_OF_WEEK]),
      })
      .strict()
      .default({ time: '08:00', days: [...DAYS_OF_WEEK] }),
    timezone: timeZoneSchema.default(DEFAULT_TIMEZONE),
    language: z.enum(LANGUAGES).default(DEFAULT_LANGUAGE),
    settings: settingsSchema.default({}),
    /** The team's working hours in the report's zone (default: none, always open). */
    working_hours: workingHoursSchema.nullable().default(null),
    /**
     * Attach the workbook to this subscription's emails (up to ATTACH_LIMIT_BYTES).
     * Off by default: an attachment keeps clients' numbers in every mailbox it
     * reached for ever, past the link's expiry and the bucket's retention.
     */
    attach_workbook: z.boolean({ message: 'must be true or false' }).default(false),
    /** Telegram chats the report is posted to after its email (README, "Telegram"). */
    telegram: z.array(telegramChatSchema).max(10, 'at most 10 chats').default([]),
    /** Post the workbook to the chats too: every member then sees every client's number. */
    telegram_workbook: z.boolean().default(false),
    /** How long this subscription's links work, days (default the deployment's LINK_TTL_DAYS; README "Links"). */
    link_ttl_days: z.number().int().min(1).max(LINK_TTL_MAX_DAYS).optional(),
  })
  .strict();

export type Subscription = z.infer<typeof subscriptionSchema>;

export const subscriptionsSchema = z.array(subscriptionSchema).superRefine((subs, ctx) => {
  const seen = new Set<string>();
  subs.forEach((s, i) => {
    if (seen.has(s.id))
      ctx.addIssue({ code: 'custom', path: [i, 'id'], message: `duplicate subscription id "${s.id}"` });
    seen.add(s.id);
    const chats = s.telegram.map((c) => `${c.chat_id}/${c.thread_id ?? ''}`);
    chats.forEach((c, j) => {
      if (chats.indexOf(c) !== j)
        ctx.addIssue({
          code: 'custom',
          path: [i, 'telegram', j],
          message: 'the same chat (and topic) twice',
        });
    });
    if (s.telegram_workbook && s.telegram.length === 0)
      ctx.addIssue({
        code: 'custom',
        path: [i, 'telegram_workbook'],
        message: 'posts the workbook to the "telegram" chats, but the subscription names none',
      });
  });
});

/**
 * Bounds and defaults of the settings that both the stack's configuration file
 * (infra/config.ts, camelCase keys) and the Lambdas' environment hold.
 */
export const SETTING_LIMITS = {
  linkTtlDays: { min: 1, max: LINK_TTL_MAX_DAYS, default: 14 },
  attachLimitBytes: { min: 0, max: 35 * 1024 * 1024, default: 5 * 1024 * 1024 },
  dataApiConcurrency: { min: 1, max: 16, default: 4 },
  dataApiMinuteLimit: { min: 1, max: 100_000, default: 150 },
} as const;
const L = SETTING_LIMITS;

/**
 * Where an account's Data API key secret lives: the report functions may read
 * secrets under this name (infra: one grant, whatever the number of accounts),
 * besides the deployment's own key secret (the default account's).
 */
export const ACCOUNT_SECRET_PREFIX = 'call-reports/data-api/';

/** A Data API account (README, "Many customers"): where its key is, its limits and its report. */
export const accountSchema = z
  .object({
    id: catalogIdSchema,
    /** The brand's host: UIS (default), CoMagic or CallGear; a key works only on its own. */
    api_url: z
      .url({ message: 'must be a URL such as https://dataapi.comagic.ru/v2.0' })
      .refine(
        (u) => u.startsWith('https://') || /^http:\/\/(127\.0\.0\.1|localhost)(:\d+)?\//.test(u),
        'must be an https:// URL (http:// only for a simulator on 127.0.0.1 or localhost)',
      )
      .default(DEFAULT_DATA_API_URL),
    /** The Secrets Manager secret holding the account's key (its ARN; never the key itself). */
    key_secret_arn: z
      .string({ message: 'must be a Secrets Manager secret ARN' })
      .regex(
        /^arn:aws[a-z-]*:secretsmanager:[a-z0-9-]+:\d{12}:secret:[A-Za-z0-9/_+=.@-]+$/,
        `must be a Secrets Manager secret ARN, e.g. arn:aws:secretsmanager:eu-central-1:123456789012:secret:${ACCOUNT_SECRET_PREFIX}acme-AbCdEf`,
      ),
    /** The tariff's requests per minute; every report of the account together stays under it. */
    minute_limit: z
      .number({ message: 'must be a number' })
      .int('must be a whole number')
      .min(L.dataApiMinuteLimit.min, `must be at least ${L.dataApiMinuteLimit.min}`)
      .max(L.dataApiMinuteLimit.max, `must be at most ${L.dataApiMinuteLimit.max}`)
      .default(L.dataApiMinuteLimit.default),
    /** The tariff's requests per day; counted, and a report stops with a clear message when it is used up. */
    day_limit: z
      .number({ message: 'must be a number' })
      .int('must be a whole number')
      .min(1, 'must be at least 1')
      .max(100_000_000, 'must be at most 100000000')
      .optional(),
    /** The account's `mgf_calls` report id (a subscription's own wins); absent: looked up. */
    report_id: z.number().int().positive().optional(),
  })
  .strict();
export type Account = z.infer<typeof accountSchema>;

const positiveInt = z.coerce.number().int().positive();

export const runtimeConfigSchema = z.object({
  REPORTS_BUCKET: z.string().min(3),
  MGF_API_URL: z.url().default(DEFAULT_DATA_API_URL),
  MGF_TOKEN_SECRET_ARN: z.string().min(1),
  LINK_KEY_SECRET_ARN: z.string().min(1),
  MAIL_FROM: emailSchema,
  /** JSON array of subscriptions. */
  SUBSCRIPTIONS: z
    .string()
    .transform((text, ctx) => {
      let raw: unknown;
      try {
        raw = JSON.parse(text);
      } catch {
        ctx.addIssue({ code: 'custom', message: 'must be a JSON array of subscriptions' });
        return z.NEVER;
      }
      const parsed = subscriptionsSchema.safeParse(raw, { reportInput: true });
      if (!parsed.success) {
        ctx.addIssue({ code: 'custom', message: describeIssues(parsed.error) });
        return z.NEVER;
      }
      return parsed.data;
    })
    .default([]),
  /** Base URL of the download route, ending in `/download/`. */
  DOWNLOAD_BASE_URL: z.url(),
  LINK_TTL_DAYS: positiveInt.max(L.linkTtlDays.max).default(L.linkTtlDays.default),
  ATTACH_LIMIT_BYTES: z.coerce
    .number()
    .int()
    .min(L.attachLimitBytes.min)
    .max(L.attachLimitBytes.max)
    .default(L.attachLimitBytes.default),
  DATA_API_CONCURRENCY: positiveInt.max(L.dataApiConcurrency.max).default(L.dataApiConcurrency.default),
  /**
   * The catalog of accounts and subscriptions (adapters/aws/dynamo-catalog.ts), read at run time;
   * the stack sets it and no SUBSCRIPTIONS. Without it, SUBSCRIPTIONS and MGF_* are the one account.
   */
  CATALOG_TABLE: z.string().min(3).optional(),
  /** DynamoDB table of report claims and Data API rate slots (adapters/aws/dynamo-lock.ts, dynamo-rate-gate.ts). */
  LOCK_TABLE: z.string().min(3),
  /**
   * The Data API account's request limit per minute (its tariff's `minute_limit`;
   * default 150, the one public figure). All invocations together stay under it.
   */
  DATA_API_MINUTE_LIMIT: positiveInt.max(L.dataApiMinuteLimit.max).default(L.dataApiMinuteLimit.default),
  /** The length of that limit's window, seconds (60; tests shorten it). */
  DATA_API_RATE_WINDOW_SECONDS: positiveInt.max(3600).default(60),
  /** A claim's lease, renewed while the run lives (default 120 s; tests shorten it). */
  LOCK_LEASE_SECONDS: positiveInt.min(2).max(900).default(120),
  /** The SES configuration set the emails go through (bounces and complaints become metrics; set by the stack). */
  SES_CONFIGURATION_SET: z.string().min(1).optional(),
  /** The Telegram bot token's secret (set by the stack when a subscription names a chat). */
  TELEGRAM_BOT_TOKEN_SECRET_ARN: z.string().min(1).optional(),
  /** The Bot API's base URL (a self-hosted Bot API server, or a test's). */
  TELEGRAM_API_URL: z.url().default(DEFAULT_TELEGRAM_API_URL),
});

export type RuntimeConfig = z.infer<typeof runtimeConfigSchema>;

/** The daily report and the report worker: everything needed to build and send a report. */
export const reportConfigSchema = runtimeConfigSchema.superRefine((c, ctx) => {
  if (c.CATALOG_TABLE === undefined && c.SUBSCRIPTIONS.length === 0)
    ctx.addIssue({
      code: 'custom',
      path: ['SUBSCRIPTIONS'],
      message:
        'is missing: set CATALOG_TABLE (the catalog table, as the stack does) or SUBSCRIPTIONS (a JSON array)',
    });
});
export type ReportConfig = RuntimeConfig;

/** The Reports API: jobs, subscriptions, the worker to start, and links for finished reports. */
export const apiConfigSchema = runtimeConfigSchema
  .pick({
    REPORTS_BUCKET: true,
    SUBSCRIPTIONS: true,
    CATALOG_TABLE: true,
    LINK_KEY_SECRET_ARN: true,
    DOWNLOAD_BASE_URL: true,
    LINK_TTL_DAYS: true,
    /** The cooldown slots of forced and emailed runs (adapters/aws/dynamo-cooldowns.ts). */
    LOCK_TABLE: true,
    /** The bot's token (the webhook's secret is derived from it) and the Bot API, for the bot's commands. */
    TELEGRAM_BOT_TOKEN_SECRET_ARN: true,
    TELEGRAM_API_URL: true,
  })
  .extend({ WORKER_FUNCTION_NAME: z.string().min(1) });
export type ApiConfig = z.infer<typeof apiConfigSchema>;

/** The download route: the bucket to presign for and the key that signs links. */
export const downloadConfigSchema = runtimeConfigSchema.pick({
  REPORTS_BUCKET: true,
  LINK_KEY_SECRET_ARN: true,
  /** The table that holds the links' revocation list (adapters/aws/dynamo-revocations.ts). */
  LOCK_TABLE: true,
});
export type DownloadConfig = z.infer<typeof downloadConfigSchema>;

/** The authorizer: where the API's bearer tokens are kept. */
export const authorizerConfigSchema = z.object({ API_TOKENS_SECRET_ARN: z.string().min(1) });
export type AuthorizerConfig = z.infer<typeof authorizerConfigSchema>;

/** One line per problem: `KEY: what is wrong`. */
export function describeIssues(error: z.ZodError, root?: string): string {
  return error.issues
    .map((i) => {
      const path = [root, ...i.path.map((p) => (typeof p === 'number' ? `[${p}]` : String(p)))]
        .filter(Boolean)
        .join('.')
        .replace(/\.\[/g, '[');
      const msg = i.code === 'invalid_type' && i.input === undefined ? 'is missing' : i.message;
      return `${path || '(root)'}: ${msg}`;
    })
    .join('; ');
}

export class ConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ConfigError';
  }
}

/** Reads and validates a function's configuration; throws `ConfigError` naming each bad or missing setting. */
export function loadConfig<S extends z.ZodType>(schema: S, env: NodeJS.ProcessEnv): z.infer<S> {
  // reportInput lets describeIssues tell a missing setting from a wrong one (no secrets live here).
  const parsed = schema.safeParse(env, { reportInput: true });
  if (!parsed.success) throw new ConfigError(`Invalid configuration: ${describeIssues(parsed.error)}`);
  return parsed.data;
}
