/**
 * The deploy-time configuration: one JSON file (`infra/config.json`, see
 * `infra/config.example.json`), validated at synth time with one message per
 * bad key, e.g. `subscriptions[1].schedule.time: must be a local time HH:MM`
 * or `subscriptions[0].working_hours: working hours: "fri-mon 09:00-18:00": the
 * day range fri-mon wraps past sunday: …` (the working-hours parser's own line,
 * naming the part). A subscription's `working_hours` reaches the Lambdas in
 * `SUBSCRIPTIONS` in its normal form.
 *
 * The subscription schema, the time-zone and email validators, the defaults
 * and `ConfigError` are the runtime's own (`functions/shared/config.ts`): what
 * passes here is what the Lambdas accept from `SUBSCRIPTIONS`.
 */
import { readFileSync } from 'node:fs';
import { RetentionDays } from 'aws-cdk-lib/aws-logs';
import * as z from 'zod';
import {
  ACCOUNT_SECRET_PREFIX,
  type Account,
  accountSchema,
  ConfigError,
  DEFAULT_ACCOUNT_ID,
  DEFAULT_DATA_API_URL,
  DEFAULT_TELEGRAM_API_URL,
  describeIssues,
  emailSchema,
  SETTING_LIMITS,
  type Subscription,
  subscriptionSchema,
  subscriptionsSchema,
  timeZoneSchema,
} from '../functions/shared/config.ts';
import { DEFAULT_TIMEZONE } from '../functions/shared/time.ts';

export { ConfigError, DEFAULT_DATA_API_URL, DEFAULT_TIMEZONE };

/** Retention periods CloudWatch Logs accepts (days), without "never expire". */
export const LOG_RETENTION_DAYS: readonly number[] = Object.values(RetentionDays)
  .filter((v): v is number => typeof v === 'number' && v !== RetentionDays.INFINITE)
  .sort((a, b) => a - b);

const int = (min: number, max: number) =>
  z
    .number({ message: 'must be a number' })
    .int('must be a whole number')
    .min(min, `must be at least ${min}`)
    .max(max, `must be at most ${max}`);

/** A whole-number setting the Lambdas hold too, with the runtime's bounds and default. */
const setting = (key: keyof typeof SETTING_LIMITS) => {
  const l = SETTING_LIMITS[key];
  return int(l.min, l.max).default(l.default);
};

/** Top-level keys; `subscriptions` is checked separately by the runtime's schema. */
const topLevelSchema = z
  .object({
    /** Data API base URL (a key works only on its own brand's host). */
    dataApiUrl: z
      .url({ message: 'must be a URL' })
      .refine((u) => u.startsWith('https://'), 'must be an https:// URL')
      .default(DEFAULT_DATA_API_URL),
    /**
     * Make the Telegram bot's parts (its token secret, the webhook route) even when no
     * subscription of this file names a chat: for chats added later through the admin
     * CLI (the catalog). They are made anyway when a subscription here names one.
     */
    telegramBot: z.boolean({ message: 'must be true or false' }).default(false),
    /** The Telegram Bot API's base URL (a self-hosted Bot API server has its own). */
    telegramApiUrl: z
      .url({ message: 'must be a URL' })
      .refine((u) => u.startsWith('https://'), 'must be an https:// URL')
      .default(DEFAULT_TELEGRAM_API_URL),
    /** IANA time zone: the default for subscriptions that do not name one. */
    timezone: timeZoneSchema.default(DEFAULT_TIMEZONE),
    /** Sender address of the report emails. */
    mailFrom: emailSchema,
    /**
     * `"domain"`: create an SES identity for the sender's domain (DKIM records to add to DNS);
     * `"address"`: create one for the address (SES mails a confirmation link);
     * `false`: the identity already exists and is verified in this account and region.
     */
    sesIdentity: z
      .union([z.literal('domain'), z.literal('address'), z.literal(false)], {
        message: 'must be "domain", "address" or false',
      })
      .default('domain'),
    /** How long an emailed download link works. */
    linkTtlDays: setting('linkTtlDays'),
    /**
     * How long reports stay in the bucket (`reports/` lifecycle expiry). They
     * hold clients' numbers and employees' names: kept a quarter by default,
     * long enough to compare a month with the last and look back, no longer.
     */
    reportRetentionDays: int(1, 3650).default(90),
    /** CloudWatch Logs retention for every log group of the stack. */
    logRetentionDays: z
      .number({ message: 'must be a number' })
      .refine((d) => LOG_RETENTION_DAYS.includes(d), {
        message: `must be one of ${LOG_RETENTION_DAYS.join(', ')}`,
      })
      .default(90),
    /**
     * Reserved concurrency of each report function (daily and on-demand), so
     * one Data API account is not hammered; `false`: no reservation (accounts
     * whose Lambda concurrency quota is still 10 cannot reserve any).
     */
    maxConcurrentReports: z
      .union([int(1, 100), z.literal(false)], { message: 'must be a whole number 1–100 or false' })
      .default(3),
    /** Parallel page requests of one report to the Data API. */
    dataApiConcurrency: setting('dataApiConcurrency'),
    /**
     * The Data API account's request limit per minute (its tariff's `minute_limit`):
     * all report invocations together stay under it (a shared counter in DynamoDB).
     */
    dataApiMinuteLimit: setting('dataApiMinuteLimit'),
    /** Attach the workbook to the email when it is at most this big (0: never attach). */
    attachLimitBytes: setting('attachLimitBytes'),
    /** Rows the reports could not read within an hour above which an alarm fires (RowsRejected). */
    rejectedRowsAlarmThreshold: int(0, 1_000_000).default(10),
    /** Optional: an email address subscribed to the alarm topic (confirm the subscription email). */
    alarmEmail: emailSchema.optional(),
    /** API Gateway stage throttling (requests per second, burst). */
    apiThrottle: z
      .object({
        rateLimit: z
          .number({ message: 'must be a number' })
          .positive('must be more than 0')
          .max(10_000, 'must be at most 10000')
          .default(5),
        burstLimit: int(1, 5000).default(10),
      })
      .strict()
      .default({ rateLimit: 5, burstLimit: 10 }),
    /** Optional fixed deployment target; without them the stack is environment-agnostic. */
    account: z
      .string()
      .regex(/^\d{12}$/, 'must be a 12-digit AWS account id')
      .optional(),
    region: z
      .string()
      .regex(/^[a-z]{2}(-[a-z]+)+-\d$/, 'must be an AWS region such as eu-central-1')
      .optional(),
    subscriptions: z
      .array(z.unknown(), { message: 'must be a list of subscriptions' })
      .min(1, 'needs at least one subscription'),
    /**
     * Data API accounts besides the deployment's own ("default": dataApiUrl,
     * dataApiMinuteLimit, the stack's key secret); checked separately, each
     * with its own key secret (README, "Many customers").
     */
    accounts: z.array(z.unknown(), { message: 'must be a list of accounts' }).default([]),
    /** The daily schedules' flexible window: reports due at one minute start spread over it. */
    scheduleWindowMinutes: int(1, 1440).default(15),
  })
  .strict();

/** An account of the config file: the default account may leave its key secret to the stack. */
export type ConfigAccount = Omit<Account, 'key_secret_arn'> & { key_secret_arn?: string };
const configAccountSchema = accountSchema.extend({
  key_secret_arn: accountSchema.shape.key_secret_arn.optional(),
});

type TopLevel = z.infer<typeof topLevelSchema>;

export interface DeployConfig extends Omit<TopLevel, 'subscriptions' | 'accounts'> {
  subscriptions: Subscription[];
  /** Every account, the default one first (from the top-level settings unless listed). */
  accounts: ConfigAccount[];
}

/**
 * Validates a parsed config object. Throws one `ConfigError` listing every bad
 * key (`key: what is wrong`, separated by `; `). Subscriptions without their
 * own `timezone` get the top-level one.
 */
export function parseConfig(raw: unknown): DeployConfig {
  // reportInput: describeIssues tells "is missing" from a wrong type by the issue's input.
  const top = topLevelSchema.safeParse(raw, { reportInput: true });
  const problems: string[] = [];
  if (!top.success) problems.push(describeIssues(top.error));

  let subscriptions: Subscription[] = [];
  const rawSubs = (raw as { subscriptions?: unknown } | null)?.subscriptions;
  if (Array.isArray(rawSubs)) {
    const zone = top.success ? top.data.timezone : DEFAULT_TIMEZONE;
    const withZone = rawSubs.map((s) =>
      s !== null && typeof s === 'object' && !Array.isArray(s) && !('timezone' in s)
        ? { ...s, timezone: zone }
        : s,
    );
    const subs = subscriptionsSchema.safeParse(withZone, { reportInput: true });
    if (subs.success) subscriptions = subs.data;
    else problems.push(describeIssues(subs.error, 'subscriptions'));
  }

  const accounts = parseAccounts(raw, top.success ? top.data : null, problems);
  const known = new Set(accounts.map((a) => a.id));
  subscriptions.forEach((s, i) => {
    if (s.account !== undefined && !known.has(s.account))
      problems.push(
        `subscriptions[${i}].account: "${s.account}" is not an account of this file; name one of: ${[...known].join(', ')}`,
      );
  });

  if (top.success && top.data.linkTtlDays > top.data.reportRetentionDays) {
    problems.push(
      `linkTtlDays: must not exceed reportRetentionDays (${top.data.reportRetentionDays}): a link would outlive its report`,
    );
  }
  subscriptions.forEach((s, i) => {
    if (top.success && s.link_ttl_days !== undefined && s.link_ttl_days > top.data.reportRetentionDays) {
      problems.push(
        `subscriptions[${i}].link_ttl_days: must not exceed reportRetentionDays (${top.data.reportRetentionDays}): a link would outlive its report`,
      );
    }
  });
  if (problems.length > 0 || !top.success) {
    throw new ConfigError(`Invalid configuration: ${problems.join('; ')}`);
  }
  return { ...top.data, subscriptions, accounts };
}

/** The file's accounts, checked, the default one first (made from dataApiUrl and dataApiMinuteLimit unless listed). */
function parseAccounts(
  raw: unknown,
  top: Pick<TopLevel, 'dataApiUrl' | 'dataApiMinuteLimit'> | null,
  problems: string[],
): ConfigAccount[] {
  const rawAccounts = (raw as { accounts?: unknown } | null)?.accounts;
  const listed: ConfigAccount[] = [];
  if (Array.isArray(rawAccounts)) {
    rawAccounts.forEach((a, i) => {
      const parsed = configAccountSchema.safeParse(a, { reportInput: true });
      if (!parsed.success) {
        problems.push(describeIssues(parsed.error, `accounts[${i}]`));
        return;
      }
      const account = parsed.data;
      if (listed.some((b) => b.id === account.id))
        problems.push(`accounts[${i}].id: duplicate account id "${account.id}"`);
      else if (account.id !== DEFAULT_ACCOUNT_ID && account.key_secret_arn === undefined)
        problems.push(
          `accounts[${i}].key_secret_arn: is missing: each account has its own key secret (aws secretsmanager create-secret --name ${ACCOUNT_SECRET_PREFIX}${account.id})`,
        );
      listed.push(account);
    });
  }
  const fallback: ConfigAccount = {
    id: DEFAULT_ACCOUNT_ID,
    api_url: top?.dataApiUrl ?? DEFAULT_DATA_API_URL,
    minute_limit: top?.dataApiMinuteLimit ?? SETTING_LIMITS.dataApiMinuteLimit.default,
  };
  const own = listed.find((a) => a.id === DEFAULT_ACCOUNT_ID) ?? fallback;
  return [own, ...listed.filter((a) => a.id !== DEFAULT_ACCOUNT_ID)];
}

/** Reads and validates a config file; the message names the file and each bad key. */
export function loadConfigFile(path: string): DeployConfig {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    throw new ConfigError(`Cannot read the configuration file ${path}: ${(e as Error).message}`);
  }
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (e) {
    throw new ConfigError(`${path} is not valid JSON: ${(e as Error).message}`);
  }
  try {
    return parseConfig(raw);
  } catch (e) {
    if (e instanceof ConfigError) throw new ConfigError(`${path}: ${e.message}`);
    throw e;
  }
}

/** The IANA name as the platform spells it (e.g. `europe/moscow` → `Europe/Moscow`). */
export function canonicalTimeZone(tz: string): string {
  return new Intl.DateTimeFormat('en-US', { timeZone: tz }).resolvedOptions().timeZone;
}

/** The sender's domain (`reports@example.com` → `example.com`). */
export function mailDomain(address: string): string {
  return address.slice(address.lastIndexOf('@') + 1).toLowerCase();
}

const SUBSCRIPTION_DEFAULTS = subscriptionSchema.parse({ id: 'x', recipients: ['x@example.com'] });

/**
 * `SUBSCRIPTIONS` for the Lambdas: compact JSON, keys equal to the schema's
 * defaults left out (the runtime parses with the same schema and gets them
 * back), so more subscriptions fit in Lambda's 4 KB of environment.
 */
export function compactSubscriptions(subscriptions: readonly Subscription[]): string {
  const defaults = SUBSCRIPTION_DEFAULTS as Record<string, unknown>;
  return JSON.stringify(
    subscriptions.map((s) => {
      const out: Record<string, unknown> = {};
      for (const [key, value] of Object.entries(s)) {
        if (value === undefined) continue;
        if (
          key in defaults &&
          key !== 'id' &&
          key !== 'recipients' &&
          JSON.stringify(value) === JSON.stringify(defaults[key])
        )
          continue;
        out[key] = value;
      }
      return out;
    }),
  );
}
