/**
 * A hundred subscriptions' daily reports started together against one Data API
 * account with a real per-minute limit: all finish, none fails on
 * limit_exceeded, and the API is never called faster than its limit allows —
 * not even refused calls: the shared rate gate keeps every invocation's
 * requests, together, under the limit. Each report asks twice: its like period
 * a week earlier is not stored, so it is computed first, through the same
 * client and gate (the comparison stays inside the rate budget).
 *
 * The gate and the API count by one clock of the test's own, which moves only
 * when every report is either done or waiting for its next window (a stepped
 * clock). On the wall clock, a request that took its slot at the end of one
 * window and was slow to arrive (a busy machine) landed in the API's next one,
 * and whether the test passed depended on the machine's speed.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { handleDailyEvent } from '../../functions/shared/lambda/daily.ts';
import { createReportRuntime } from '../../functions/shared/lambda/runtime.ts';
import { wrap } from '../../functions/shared/lambda/wrap.ts';
import { generateCalls } from '../../simulator/generator.ts';
import { type LambdaEnv, lambdaContext, startLambdaEnv } from '../support/lambda-env.ts';
import { steppedClock } from '../support/stepped-clock.ts';

const COUNT = 100;
const LIMIT = 12;
const WINDOW_MS = 60_000;
/** The most the gate spreads its waiters over a window's start: min(250 ms, a tenth of the window). */
const JITTER_MS = 250;
const clock = steppedClock(Date.parse('2024-10-22T05:00:00Z'));

let e: LambdaEnv;
beforeAll(async () => {
  e = await startLambdaEnv({
    simulator: {
      rows: generateCalls({ seed: 71, from: '2024-10-21', till: '2024-10-22', callsPerDay: 20 }),
      limits: { minuteLimit: LIMIT, windowMs: WINDOW_MS },
      now: clock.now,
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
    // The daily-report handler as its module builds it, on the test's clock.
    // Its claims' heartbeats beat on that clock too: a run waiting for a slot renews its lease as it would.
    const rt = { ...createReportRuntime(), clock, sleep: clock.sleep, lockTimer: clock.timer };
    const daily = wrap(rt.logger, rt.metrics, (event: unknown) => handleDailyEvent(event, rt));
    e.sim.resetStats();
    let finished = 0;
    const runs = Array.from({ length: COUNT }, (_, i) =>
      daily(
        { subscription: `team-${i}`, scheduled_time: '2024-10-22T05:00:00Z' },
        lambdaContext('daily-report'),
      ).finally(() => {
        finished++;
        clock.poke();
      }),
    );
    // Each report asks the API twice, one request after the other: time moves on
    // only when every report is done or waiting for a slot in a later window.
    let steps = 0;
    for (;;) {
      await clock.until(() => finished === COUNT || clock.parked >= COUNT - finished);
      if (clock.parked === 0) break;
      clock.advance(JITTER_MS); // wakes together everyone the gate spread over the window's first moments
      steps++;
    }
    const results = await Promise.allSettled(runs);
    const failed = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
    expect(failed.map((r) => String(r.reason))).toEqual([]);
    expect(results.every((r) => r.status === 'fulfilled' && r.value.status === 'done')).toBe(true);
    expect(e.sim.stats.errors.limit_exceeded ?? 0).toBe(0);

    // The API's own accounting: every request was within its limit — none refused, none repeated.
    expect(e.sim.stats.calls).toEqual({ 'get.mgf_calls': 2 * COUNT });
    expect(e.sim.stats.requests).toBe(2 * COUNT);
    expect(e.sim.stats.successTimes).toHaveLength(2 * COUNT);
    // The gate's share: 12 / 2 − 10 % of 12 = 4 slots a window, so the rest waited, window by window.
    const perWindow = new Map<number, number>();
    for (const t of e.sim.stats.successTimes) {
      const w = Math.floor(t / WINDOW_MS);
      perWindow.set(w, (perWindow.get(w) ?? 0) + 1);
    }
    expect(Math.max(...perWindow.values())).toBe(4);
    // Full windows but perhaps the last few: which reports win a window's slots
    // is a race, and the last reports may each have their second request left.
    expect(perWindow.size).toBeGreaterThanOrEqual((2 * COUNT) / 4);
    expect(perWindow.size).toBeLessThanOrEqual((2 * COUNT) / 4 + 4);
    expect(steps).toBe(perWindow.size - 1);
    expect((await e.ses.emails()).length).toBe(COUNT);
  }, 300_000); // a hang guard: 100 reports took 40 s on a busy 2-core machine
});
