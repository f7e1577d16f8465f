/**
 * A hundred subscriptions' daily reports started together against one Data API
 * account with a real per-minute limit (shrunk to one second here): all finish,
 * none fails on limit_exceeded, and the API is never called faster than its
 * limit allows — not even refused calls: the shared rate gate keeps every
 * invocation's requests, together, under the limit.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateCalls } from '../../simulator/generator.ts';
import { type LambdaEnv, lambdaContext, startLambdaEnv } from '../support/lambda-env.ts';

const COUNT = 100;
const LIMIT = 12;
const WINDOW_MS = 1000;

let e: LambdaEnv;
beforeAll(async () => {
  e = await startLambdaEnv({
    simulator: {
      rows: generateCalls({ seed: 71, from: '2024-10-21', till: '2024-10-22', callsPerDay: 20 }),
      limits: { minuteLimit: LIMIT, windowMs: WINDOW_MS },
    },
    subscriptions: Array.from({ length: COUNT }, (_, i) => ({
      id: `team-${i}`,
      report_id: 1015,
      recipients: [`lead${i}@example.com`],
    })),
    env: { DATA_API_MINUTE_LIMIT: String(LIMIT), DATA_API_RATE_WINDOW_SECONDS: String(WINDOW_MS / 1000) },
  });
});
afterAll(async () => {
  await e.stop();
});

describe('many subscriptions at once', () => {
  it('all finish, none is refused for the rate, and the API never sees more calls than its limit', async () => {
    e.sim.resetStats();
    const results = await Promise.allSettled(
      Array.from({ length: COUNT }, (_, i) =>
        e.daily(
          { subscription: `team-${i}`, scheduled_time: '2024-10-22T05:00:00Z' },
          lambdaContext('daily-report'),
        ),
      ),
    );
    const failed = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
    expect(failed.map((r) => String(r.reason))).toEqual([]);
    expect(results.every((r) => r.status === 'fulfilled' && r.value.status === 'done')).toBe(true);
    expect(e.sim.stats.errors.limit_exceeded ?? 0).toBe(0);

    // The API's own accounting: every request was within its limit — none refused, none repeated.
    expect(e.sim.stats.successTimes.length).toBeGreaterThanOrEqual(COUNT);
    expect(e.sim.stats.requests).toBe(e.sim.stats.successTimes.length);
    expect((await e.ses.emails()).length).toBe(COUNT);
  }, 120_000);
});
