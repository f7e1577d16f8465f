import { describe, expect, it } from 'vitest';
import {
  apiConfigSchema,
  authorizerConfigSchema,
  ConfigError,
  loadConfig,
  reportConfigSchema,
  subscriptionsSchema,
} from '../../functions/shared/config.ts';

const good = {
  REPORTS_BUCKET: 'reports-bucket',
  MGF_TOKEN_SECRET_ARN: 'arn:token',
  LINK_KEY_SECRET_ARN: 'arn:link',
  MAIL_FROM: 'reports@example.com',
  SUBSCRIPTIONS: JSON.stringify([{ id: 'sales', recipients: ['head@example.com'] }]),
  DOWNLOAD_BASE_URL: 'https://abc.execute-api.eu-central-1.amazonaws.com/prod/download/',
  LOCK_TABLE: 'report-locks',
};

describe('runtime configuration', () => {
  it('fills the documented defaults', () => {
    const c = loadConfig(reportConfigSchema, good);
    expect(c).toMatchObject({
      MGF_API_URL: 'https://dataapi.uiscom.ru/v2.0',
      LINK_TTL_DAYS: 14,
      ATTACH_LIMIT_BYTES: 5 * 1024 * 1024,
      DATA_API_CONCURRENCY: 4,
      DATA_API_MINUTE_LIMIT: 150,
      DATA_API_RATE_WINDOW_SECONDS: 60,
      LOCK_LEASE_SECONDS: 120,
    });
    expect(c.SUBSCRIPTIONS[0]).toMatchObject({
      id: 'sales',
      timezone: 'Europe/Moscow',
      language: 'ru',
      schedule: { time: '08:00' },
      settings: {},
    });
  });

  it.each([
    ['REPORTS_BUCKET', /REPORTS_BUCKET: is missing/],
    ['MGF_TOKEN_SECRET_ARN', /MGF_TOKEN_SECRET_ARN: is missing/],
    ['MAIL_FROM', /MAIL_FROM: is missing/],
    ['SUBSCRIPTIONS', /SUBSCRIPTIONS: is missing/],
  ])('fails naming a missing %s', (key, message) => {
    const env: Record<string, string> = { ...good };
    delete env[key];
    expect(() => loadConfig(reportConfigSchema, env)).toThrow(ConfigError);
    expect(() => loadConfig(reportConfigSchema, env)).toThrow(message);
  });

  it('names the bad key inside SUBSCRIPTIONS', () => {
    const env = {
      ...good,
      SUBSCRIPTIONS: JSON.stringify([
        { id: 'sales', recipients: ['not-an-address'], timezone: 'Mars/Olympus' },
      ]),
    };
    expect(() => loadConfig(reportConfigSchema, env)).toThrow(
      /\[0\]\.recipients\[0\]: must be an email address/,
    );
    expect(() => loadConfig(reportConfigSchema, env)).toThrow(
      /\[0\]\.timezone: Unknown time zone "Mars\/Olympus"/,
    );
  });

  it('reads a subscription’s working hours in their normal form, and refuses bad ones naming the part', () => {
    const env = (working_hours: unknown) => ({
      ...good,
      SUBSCRIPTIONS: JSON.stringify([{ id: 'sales', recipients: ['head@example.com'], working_hours }]),
    });
    expect(loadConfig(reportConfigSchema, env('Mon-Fri 9:00-18:00;')).SUBSCRIPTIONS[0]?.working_hours).toBe(
      'mon-fri 09:00-18:00',
    );
    expect(loadConfig(reportConfigSchema, good).SUBSCRIPTIONS[0]?.working_hours).toBeNull();
    expect(() => loadConfig(reportConfigSchema, env('mon 19:00-09:00'))).toThrow(
      'SUBSCRIPTIONS: [0].working_hours: working hours: "mon 19:00-09:00": the range 19:00-09:00 ends before it starts',
    );
  });

  it('refuses SUBSCRIPTIONS that are not JSON', () => {
    expect(() => loadConfig(reportConfigSchema, { ...good, SUBSCRIPTIONS: '[{' })).toThrow(
      /SUBSCRIPTIONS: must be a JSON array/,
    );
  });

  it('asks each function only for what it uses', () => {
    expect(() => loadConfig(apiConfigSchema, good)).toThrow(/WORKER_FUNCTION_NAME: is missing/);
    expect(loadConfig(authorizerConfigSchema, { API_TOKENS_SECRET_ARN: 'arn:tokens' })).toEqual({
      API_TOKENS_SECRET_ARN: 'arn:tokens',
    });
  });
});

describe('subscriptions', () => {
  it('refuses duplicate ids, bad schedules and bad filters, naming each', () => {
    const r = subscriptionsSchema.safeParse([
      { id: 'sales', recipients: ['a@b.ru'], schedule: { time: '25:00' } },
      { id: 'sales', recipients: ['a@b.ru'], filter: { field: 'colour', operator: '=', value: 'x' } },
    ]);
    expect(r.success).toBe(false);
    const text = r.error?.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('\n') ?? '';
    expect(text).toMatch(/0\.schedule\.time: must be a local time HH:MM/);
    expect(text).toMatch(/1\.id: duplicate subscription id "sales"/);
    expect(text).toMatch(/1\.filter: Invalid filter at filter\.field/);
  });
});

describe('describeIssues', () => {
  it('tells a wrong value from a missing one', () => {
    expect(() => loadConfig(reportConfigSchema, { ...good, LINK_TTL_DAYS: 'soon' })).toThrow(
      /LINK_TTL_DAYS: Invalid input/,
    );
    expect(() => loadConfig(reportConfigSchema, { ...good, LINK_TTL_DAYS: 'soon' })).not.toThrow(
      /LINK_TTL_DAYS: is missing/,
    );
  });
});
