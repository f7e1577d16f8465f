/**
 * A subscription's Telegram chats (issue 16, item 1): `telegram: [{chat_id,
 * thread_id?}]` and the workbook opt-in, checked by the one subscription
 * schema the stack and the Lambdas share, each mistake named with its key and
 * what is allowed.
 */
import { describe, expect, it } from 'vitest';
import {
  ConfigError,
  describeIssues,
  loadConfig,
  reportConfigSchema,
  subscriptionsSchema,
} from '../../functions/shared/config.ts';

const base = { id: 'sales', recipients: ['head@example.com'] };
const problems = (subs: unknown[]): string => {
  const r = subscriptionsSchema.safeParse(subs, { reportInput: true });
  return r.success ? '' : describeIssues(r.error, 'subscriptions');
};

describe('a subscription’s Telegram chats', () => {
  it('takes group ids, topics and a channel’s @username; none and no workbook by default', () => {
    const [with_, without] = subscriptionsSchema.parse([
      {
        ...base,
        telegram: [
          { chat_id: -1001234567890 },
          { chat_id: -1001234567890, thread_id: 7 },
          { chat_id: '@sales_news' },
        ],
        telegram_workbook: true,
      },
      { ...base, id: 'support' },
    ]);
    expect(with_?.telegram).toEqual([
      { chat_id: -1001234567890 },
      { chat_id: -1001234567890, thread_id: 7 },
      { chat_id: '@sales_news' },
    ]);
    expect(with_?.telegram_workbook).toBe(true);
    expect(without).toMatchObject({ telegram: [], telegram_workbook: false });
  });

  it('names each bad chat with its key and what is allowed', () => {
    expect(problems([{ ...base, telegram: [{ chat_id: '-1001234567890' }] }])).toBe(
      'subscriptions[0].telegram[0].chat_id: must be a chat id, a whole number such as -1001234567890 (not in quotes), or a channel\'s "@username"',
    );
    expect(problems([{ ...base, telegram: [{ chat_id: -100, thread_id: 0 }] }])).toBe(
      'subscriptions[0].telegram[0].thread_id: must be a topic id, above 0',
    );
    expect(problems([{ ...base, telegram: [{ chat_id: -100, topic: 3 }] }])).toMatch(
      /^subscriptions\[0\]\.telegram\[0\]: Unrecognized key: "topic"/,
    );
    expect(problems([{ ...base, telegram: [{ chat_id: -100 }, { chat_id: -100 }] }])).toBe(
      'subscriptions[0].telegram[1]: the same chat (and topic) twice',
    );
    expect(
      problems([{ ...base, telegram: Array.from({ length: 11 }, (_, i) => ({ chat_id: -100 - i })) }]),
    ).toBe('subscriptions[0].telegram: at most 10 chats');
  });

  it('refuses the workbook opt-in without a chat to post it to', () => {
    expect(problems([{ ...base, telegram_workbook: true }])).toBe(
      'subscriptions[0].telegram_workbook: posts the workbook to the "telegram" chats, but the subscription names none',
    );
  });
});

describe('the functions’ Telegram settings', () => {
  const env = {
    REPORTS_BUCKET: 'bucket',
    MGF_TOKEN_SECRET_ARN: 'arn:a',
    LINK_KEY_SECRET_ARN: 'arn:b',
    MAIL_FROM: 'reports@example.com',
    SUBSCRIPTIONS: JSON.stringify([base]),
    DOWNLOAD_BASE_URL: 'https://x.example.com/download/',
    LOCK_TABLE: 'locks',
  };

  it('default to the Bot API’s own host and no bot token secret', () => {
    const c = loadConfig(reportConfigSchema, env);
    expect(c.TELEGRAM_API_URL).toBe('https://api.telegram.org');
    expect(c.TELEGRAM_BOT_TOKEN_SECRET_ARN).toBeUndefined();
  });

  it('take a self-hosted Bot API server’s URL, and refuse what is not a URL', () => {
    expect(
      loadConfig(reportConfigSchema, { ...env, TELEGRAM_API_URL: 'http://127.0.0.1:8081' }).TELEGRAM_API_URL,
    ).toBe('http://127.0.0.1:8081');
    expect(() => loadConfig(reportConfigSchema, { ...env, TELEGRAM_API_URL: 'api.telegram.org' })).toThrow(
      ConfigError,
    );
  });
});
