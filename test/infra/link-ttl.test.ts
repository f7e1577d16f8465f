/** A subscription's own link_ttl_days in the stack's configuration file: bounded, and never past the reports' retention. */
import { describe, expect, it } from 'vitest';
import { ConfigError, parseConfig } from '../../infra/config.ts';
import { exampleRaw } from './support.ts';

function withSub(patch: Record<string, unknown>): Record<string, unknown> {
  const raw = exampleRaw();
  const subs = structuredClone(raw.subscriptions) as Record<string, unknown>[];
  subs[0] = { ...subs[0], ...patch };
  return { ...raw, subscriptions: subs };
}

function problem(raw: Record<string, unknown>): string {
  try {
    parseConfig(raw);
  } catch (e) {
    expect(e).toBeInstanceOf(ConfigError);
    return (e as Error).message;
  }
  throw new Error('expected a ConfigError');
}

describe('link_ttl_days', () => {
  it('is optional, and kept when set', () => {
    expect(parseConfig(exampleRaw()).subscriptions[0]?.link_ttl_days).toBeUndefined();
    expect(parseConfig(withSub({ link_ttl_days: 3 })).subscriptions[0]?.link_ttl_days).toBe(3);
  });

  it.each([
    [0, 'subscriptions[0].link_ttl_days: '],
    [2.5, 'subscriptions[0].link_ttl_days: '],
    [10_000, 'subscriptions[0].link_ttl_days: '],
  ])('refuses %j, naming the key', (value, message) => {
    expect(problem(withSub({ link_ttl_days: value }))).toContain(message);
  });

  it('must not outlive the reports it opens', () => {
    const raw = { ...withSub({ link_ttl_days: 120 }), reportRetentionDays: 90 };
    expect(problem(raw)).toContain(
      'subscriptions[0].link_ttl_days: must not exceed reportRetentionDays (90): a link would outlive its report',
    );
  });
});
