import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { subscriptionsSchema } from '../../functions/shared/config.ts';
import {
  ConfigError,
  compactSubscriptions,
  DEFAULT_DATA_API_URL,
  loadConfigFile,
  parseConfig,
} from '../../infra/config.ts';
import { WORKING_HOURS_REFUSALS } from '../support/working-hours-refusals.ts';
import { buildStack, EXAMPLE_CONFIG_PATH, exampleRaw } from './support.ts';

const minimal = {
  mailFrom: 'reports@example.com',
  subscriptions: [{ id: 'daily', recipients: ['boss@example.com'] }],
};

/** The message of the ConfigError that `fn` throws. */
function configError(fn: () => unknown): string {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(ConfigError);
    return (e as Error).message;
  }
  throw new Error('expected a ConfigError');
}

function withSub(patch: Record<string, unknown>, index = 0): Record<string, unknown> {
  const raw = exampleRaw();
  const subs = structuredClone(raw.subscriptions) as Record<string, unknown>[];
  subs[index] = { ...subs[index], ...patch };
  return { ...raw, subscriptions: subs };
}

describe('deploy configuration', () => {
  it('accepts the committed example', () => {
    const config = loadConfigFile(EXAMPLE_CONFIG_PATH);
    expect(config.subscriptions.map((s) => s.id)).toEqual(['sales-daily', 'support-line']);
    expect(config.sesIdentity).toBe('domain');
  });

  it('fills the documented defaults', () => {
    const config = parseConfig(minimal);
    expect(config).toMatchObject({
      dataApiUrl: DEFAULT_DATA_API_URL,
      timezone: 'Europe/Moscow',
      sesIdentity: 'domain',
      linkTtlDays: 14,
      reportRetentionDays: 90,
      logRetentionDays: 90,
      maxConcurrentReports: 3,
      dataApiConcurrency: 4,
      dataApiMinuteLimit: 150,
      attachLimitBytes: 5 * 1024 * 1024,
      apiThrottle: { rateLimit: 5, burstLimit: 10 },
    });
    expect(config.alarmEmail).toBeUndefined();
    expect(config.subscriptions[0]).toMatchObject({
      id: 'daily',
      timezone: 'Europe/Moscow',
      language: 'ru',
      schedule: { time: '08:00', days: ['MON', 'TUE', 'WED', 'THU', 'FRI', 'SAT', 'SUN'] },
    });
  });

  it('gives subscriptions without a time zone the top-level one, and keeps their own', () => {
    const config = parseConfig({
      ...minimal,
      timezone: 'Asia/Novosibirsk',
      subscriptions: [
        { id: 'a', recipients: ['a@example.com'] },
        { id: 'b', recipients: ['b@example.com'], timezone: 'Europe/Kaliningrad' },
      ],
    });
    expect(config.subscriptions.map((s) => s.timezone)).toEqual(['Asia/Novosibirsk', 'Europe/Kaliningrad']);
  });

  it('names a bad schedule time', () => {
    const msg = configError(() => parseConfig(withSub({ schedule: { time: '8:00', days: ['MON'] } }, 1)));
    expect(msg).toContain('subscriptions[1].schedule.time: must be a local time HH:MM');
  });

  it('names a bad day of the week', () => {
    const msg = configError(() => parseConfig(withSub({ schedule: { time: '08:00', days: ['MONDAY'] } })));
    expect(msg).toMatch(/subscriptions\[0\]\.schedule\.days\[0\]: /);
  });

  it('names a bad time zone, in a subscription and at the top', () => {
    expect(configError(() => parseConfig(withSub({ timezone: 'Mars/Olympus' }, 1)))).toContain(
      'subscriptions[1].timezone: Unknown time zone "Mars/Olympus"',
    );
    expect(configError(() => parseConfig({ ...exampleRaw(), timezone: 'Moscow' }))).toContain(
      'timezone: Unknown time zone "Moscow"',
    );
  });

  it('names a duplicate subscription id', () => {
    const raw = exampleRaw();
    const subs = raw.subscriptions as Record<string, unknown>[];
    const msg = configError(() =>
      parseConfig({ ...raw, subscriptions: [...subs, { id: 'sales-daily', recipients: ['x@example.com'] }] }),
    );
    expect(msg).toContain('subscriptions[2].id: duplicate subscription id "sales-daily"');
  });

  it('names an unknown key, at the top and in a subscription', () => {
    expect(configError(() => parseConfig({ ...exampleRaw(), mailfrom: 'x@example.com' }))).toMatch(
      /\(root\): Unrecognized key: "mailfrom"/,
    );
    expect(configError(() => parseConfig(withSub({ recipient: ['x@example.com'] })))).toMatch(
      /subscriptions\[0\]: Unrecognized key: "recipient"/,
    );
    expect(configError(() => parseConfig({ ...exampleRaw(), apiThrottle: { rate: 5 } }))).toMatch(
      /apiThrottle: Unrecognized key: "rate"/,
    );
  });

  it('names each bad top-level value', () => {
    const cases: Array<[Record<string, unknown>, string]> = [
      [{ mailFrom: 'not-an-address' }, 'mailFrom: must be an email address'],
      [{ mailFrom: undefined }, 'mailFrom: is missing'],
      [{ mailFrom: 42 }, 'mailFrom: must be an email address'],
      [{ dataApiUrl: 'http://dataapi.uiscom.ru/v2.0' }, 'dataApiUrl: must be an https:// URL'],
      [{ sesIdentity: 'yes' }, 'sesIdentity: must be "domain", "address" or false'],
      [{ logRetentionDays: 45 }, 'logRetentionDays: must be one of 1, 3, 5, 7, 14, 30, 60, 90'],
      [{ maxConcurrentReports: 0 }, 'maxConcurrentReports: must be at least 1'],
      [{ maxConcurrentReports: 'three' }, 'maxConcurrentReports: must be a whole number 1–100 or false'],
      [{ dataApiConcurrency: 17 }, 'dataApiConcurrency: must be at most 16'],
      [{ dataApiMinuteLimit: 0 }, 'dataApiMinuteLimit: must be at least 1'],
      [{ attachLimitBytes: 1.5 }, 'attachLimitBytes: must be a whole number'],
      [{ alarmEmail: 'ops' }, 'alarmEmail: must be an email address'],
      [{ apiThrottle: { rateLimit: 0, burstLimit: 10 } }, 'apiThrottle.rateLimit: must be more than 0'],
      [{ account: '12345' }, 'account: must be a 12-digit AWS account id'],
      [{ region: 'Frankfurt' }, 'region: must be an AWS region such as eu-central-1'],
      [{ subscriptions: [] }, 'subscriptions: needs at least one subscription'],
      [{ linkTtlDays: 500 }, 'linkTtlDays: must not exceed reportRetentionDays (90)'],
    ];
    for (const [patch, expected] of cases) {
      expect(
        configError(() => parseConfig({ ...exampleRaw(), ...patch })),
        JSON.stringify(patch),
      ).toContain(expected);
    }
  });

  it('names a bad recipient, filter and setting of a subscription', () => {
    expect(configError(() => parseConfig(withSub({ recipients: ['boss@'] })))).toContain(
      'subscriptions[0].recipients[0]: must be an email address',
    );
    expect(configError(() => parseConfig(withSub({ recipients: [] })))).toContain(
      'subscriptions[0].recipients: needs at least one recipient',
    );
    expect(configError(() => parseConfig(withSub({ settings: { sla_seconds: 0 } })))).toMatch(
      /subscriptions\[0\]\.settings\.sla_seconds: /,
    );
    expect(
      configError(() => parseConfig(withSub({ filter: { field: 'nope', operator: '=', value: 1 } }))),
    ).toMatch(/subscriptions\[0\]\.filter: /);
    expect(configError(() => parseConfig(withSub({ id: 'Sales Daily' })))).toContain(
      'subscriptions[0].id: must be 1–40 lowercase letters, digits or "-"',
    );
  });

  it('keeps a subscription’s working hours in their normal form, and none when not given or empty', () => {
    const config = loadConfigFile(EXAMPLE_CONFIG_PATH);
    expect(config.subscriptions.map((s) => s.working_hours)).toEqual([
      'mon-fri 09:00-19:00; sat 10:00-16:00; closed 2026-01-01..2026-01-08, 2026-03-09',
      null,
    ]);
    const odd = parseConfig(
      withSub({ working_hours: ' SAT 10:00-16:00 ; Mon-Fri 9:00-13:00, 13:00-19:00 ;' }),
    );
    expect(odd.subscriptions[0]?.working_hours).toBe('mon-fri 09:00-19:00; sat 10:00-16:00');
    expect(parseConfig(withSub({ working_hours: '' })).subscriptions[0]?.working_hours).toBeNull();
    expect(parseConfig(withSub({ working_hours: null })).subscriptions[0]?.working_hours).toBeNull();
  });

  it.each(WORKING_HOURS_REFUSALS)(
    'fails synth on %s in a subscription’s working hours, naming the subscription and the part',
    (_what, text, message) => {
      const msg = configError(() => parseConfig(withSub({ working_hours: text }, 1)));
      expect(msg).toBe(`Invalid configuration: subscriptions[1].working_hours: ${message}`);
    },
  );

  it('names working hours that are not text', () => {
    expect(configError(() => parseConfig(withSub({ working_hours: { mon: '09:00-18:00' } })))).toContain(
      'subscriptions[0].working_hours: must be text such as "mon-fri 09:00-18:00; sat 10:00-16:00", or null',
    );
  });

  it('lists every problem in one message', () => {
    const msg = configError(() =>
      parseConfig({ ...withSub({ timezone: 'Nowhere' }), mailFrom: 'x', linkTtlDays: 0 }),
    );
    expect(msg).toMatch(/^Invalid configuration: /);
    expect(msg).toContain('mailFrom: must be an email address');
    expect(msg).toContain('linkTtlDays: must be at least 1');
    expect(msg).toContain('subscriptions[0].timezone: Unknown time zone "Nowhere"');
  });

  it('names the file when it is missing or not JSON', () => {
    expect(configError(() => loadConfigFile('/nonexistent/config.json'))).toContain(
      'Cannot read the configuration file /nonexistent/config.json',
    );
    const dir = mkdtempSync(join(tmpdir(), 'call-reports-config-'));
    const bad = join(dir, 'config.json');
    writeFileSync(bad, '{ "mailFrom": ');
    expect(configError(() => loadConfigFile(bad))).toContain(`${bad} is not valid JSON`);
    writeFileSync(bad, JSON.stringify({ ...minimal, linkTtlDays: -1 }));
    expect(configError(() => loadConfigFile(bad))).toContain(`${bad}: Invalid configuration: linkTtlDays:`);
    rmSync(dir, { recursive: true, force: true });
  });

  it('compacts SUBSCRIPTIONS without changing what the runtime reads', () => {
    const config = parseConfig({
      ...exampleRaw(),
      timezone: 'Asia/Omsk',
      subscriptions: [
        ...(exampleRaw().subscriptions as unknown[]),
        { id: 'defaults-only', recipients: ['x@example.com'], timezone: 'Europe/Moscow' },
      ],
    });
    const json = compactSubscriptions(config.subscriptions);
    expect(subscriptionsSchema.parse(JSON.parse(json))).toEqual(config.subscriptions);
    expect(JSON.parse(json)[2]).toEqual({ id: 'defaults-only', recipients: ['x@example.com'] });
    // No whitespace but inside values (working hours are text with spaces).
    expect(json).toBe(JSON.stringify(JSON.parse(json)));
    expect(JSON.parse(json)[0].working_hours).toBe(config.subscriptions[0]?.working_hours);
  });

  it('synthesizes subscriptions that once outgrew 4 KB of environment: none is in it now (issue 18)', () => {
    const many = Array.from({ length: 40 }, (_, i) => ({
      id: `subscription-${i}`,
      recipients: [`manager-${i}@example.com`, `deputy-${i}@example.com`],
    }));
    const config = parseConfig({ ...minimal, subscriptions: many });
    expect(JSON.stringify(buildStack(config).template.toJSON())).not.toContain('subscription-39');
  });
});
