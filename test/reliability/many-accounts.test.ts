/**
 * A thousand teams on fifty accounts, at a fifth of the scale (issue 18, must
 * show): 200 subscriptions over 20 Data API accounts, each account its own
 * simulator with a per-minute limit, all scheduled at the same minute, driven
 * through the real daily handler and the real report worker against dynalite
 * (the catalog, claims and rate slots), s3rver and SES local, with the
 * accounts and subscriptions read from the catalog table and each account's
 * key from its own secret. Every report is made and emailed exactly once, no
 * account's API ever sees more than its limit allows (none refused), and an
 * on-demand year report of one account, started with the morning's reports,
 * finishes after every morning report of that account.
 *
 * The simulators and the rate gate share one clock of the test's own, moved
 * only when every run is done or waiting for a later window (a stepped clock):
 * the minutes pass in steps, so the test is deterministic and takes seconds
 * of wall time per simulated minute, not minutes.
 */
import { performance } from 'node:perf_hooks';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Account, Subscription } from '../../functions/shared/config.ts';
import { handleDailyEvent } from '../../functions/shared/lambda/daily.ts';
import { createReportRuntime, createWorkerRuntime } from '../../functions/shared/lambda/runtime.ts';
import { handleWorkerEvent } from '../../functions/shared/lambda/worker.ts';
import { wrap } from '../../functions/shared/lambda/wrap.ts';
import { generateCalls } from '../../simulator/generator.ts';
import { type Simulator, startSimulator } from '../../simulator/server.ts';
import { createCatalogTable } from '../support/catalog-table.ts';
import { apiEvent, type LambdaEnv, lambdaContext, startLambdaEnv } from '../support/lambda-env.ts';
import { steppedClock } from '../support/stepped-clock.ts';

const ACCOUNTS = 20;
const PER_ACCOUNT = 10;
const LIMIT = 12; // a minute: the gate gives each window 12 / 2 − 10 % = 4 slots
const SLOTS = 4;
const WINDOW_MS = 60_000;
const JITTER_MS = 250;
const clock = steppedClock(Date.parse('2024-10-22T05:00:00Z'));
const keyArn = (i: number) =>
  `arn:aws:secretsmanager:eu-central-1:123456789012:secret:call-reports/data-api/acct-${i}-AbCdEf`;
const accountId = (i: number) => `acct-${String(i).padStart(2, '0')}`;
const subId = (a: number, t: number) => `${accountId(a)}-team-${t}`;
const day = generateCalls({ seed: 18, from: '2024-10-21', till: '2024-10-22', callsPerDay: 12 });
// The year report's account holds two years, for the year and the year before it (its like period).
const twoYears = generateCalls({ seed: 19, from: '2022-10-20', till: '2024-10-22', callsPerDay: 2 });

let e: LambdaEnv;
let sims: Simulator[];
beforeAll(async () => {
  const tokens = Array.from({ length: ACCOUNTS }, (_, i) => `token-of-account-${i}`);
  e = await startLambdaEnv({
    simulator: { rows: twoYears, limits: { minuteLimit: LIMIT, windowMs: WINDOW_MS }, now: clock.now },
    subscriptions: [],
    env: { CATALOG_TABLE: 'catalog', DATA_API_RATE_WINDOW_SECONDS: String(WINDOW_MS / 1000) },
    secrets: Object.fromEntries(tokens.map((t, i) => [keyArn(i), t]).slice(1)),
  });
  // Account 0 is the environment's simulator (its token is the env's data token); the others their own.
  const others = await Promise.all(
    tokens.slice(1).map((accessToken) =>
      startSimulator({
        rows: day,
        accessToken,
        limits: { minuteLimit: LIMIT, windowMs: WINDOW_MS },
        now: clock.now,
      }),
    ),
  );
  sims = [e.sim, ...others];
  const catalog = await createCatalogTable(e.dynamo, 'catalog');
  for (let a = 0; a < ACCOUNTS; a++) {
    const account: Account = {
      id: accountId(a),
      api_url: sims[a]?.url as string,
      // Account 0's simulator is lambda-env's, which checks the env's data token (its own secret).
      key_secret_arn: a === 0 ? (e.env.MGF_TOKEN_SECRET_ARN as string) : keyArn(a),
      minute_limit: LIMIT,
      report_id: 1015,
    };
    await catalog.putAccount(account, 'config');
    for (let t = 0; t < PER_ACCOUNT; t++)
      await catalog.putSubscription(
        {
          id: subId(a, t),
          account: accountId(a),
          recipients: [`lead-${subId(a, t)}@example.com`],
        } as Subscription,
        'config',
      );
  }
}, 120_000);
afterAll(async () => {
  await Promise.all([e.stop(), ...sims.slice(1).map((s) => s.close())]);
});

describe('200 subscriptions over 20 accounts at the same minute', () => {
  it('makes and emails every report once, keeps every account under its limit, and the year report after the mornings', async () => {
    const started = performance.now();
    // The handlers' runtimes as their modules build them, on the test's clock (the claims' heartbeats too).
    const rt = { ...createReportRuntime(), clock, sleep: clock.sleep, lockTimer: clock.timer };
    const daily = wrap(rt.logger, rt.metrics, (event: unknown) => handleDailyEvent(event, rt));
    const worker = { ...createWorkerRuntime(), clock, sleep: clock.sleep, lockTimer: clock.timer };
    for (const s of sims) s.resetStats();

    const finishedAt = new Map<string, number>();
    let finished = 0;
    const runs = Array.from({ length: ACCOUNTS * PER_ACCOUNT }, (_, i) => {
      const id = subId(Math.floor(i / PER_ACCOUNT), i % PER_ACCOUNT);
      return daily(
        { subscription: id, scheduled_time: '2024-10-22T05:00:00Z' },
        lambdaContext('daily-report'),
      ).finally(() => {
        finishedAt.set(id, clock.now());
        finished++;
        clock.poke();
      });
    });
    // The year report of account 0's first team, asked for at the same minute, through the Reports API.
    const posted = await e.api(
      apiEvent('POST', '/reports', { subscription: subId(0, 0), from: '2023-10-22', till: '2024-10-21' }),
      lambdaContext('reports-api'),
    );
    expect(posted.statusCode).toBe(202);
    const jobId = (JSON.parse(posted.body) as { id: string }).id;
    let yearDone = false;
    const year = handleWorkerEvent({ jobId }, worker, {
      getRemainingTimeInMillis: () => 15 * 60_000,
    }).finally(() => {
      finishedAt.set('year', clock.now());
      yearDone = true;
      clock.poke();
    });

    // The worker's watchdog waits on the clock too, until the worker ends: one parked more than runs waiting.
    const waiting = () => clock.parked - (yearDone ? 0 : 1);
    const remaining = () => runs.length - finished + (yearDone ? 0 : 1);
    let minutes = 0;
    for (;;) {
      await clock.until(() => remaining() === 0 || waiting() >= remaining());
      if (remaining() === 0) break;
      clock.advance(JITTER_MS);
      minutes++;
    }
    const results = await Promise.allSettled(runs);
    const failed = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
    expect(failed.map((r) => String(r.reason))).toEqual([]);
    expect(await year).toEqual({ status: 'done', jobId });

    // Every report emailed exactly once, to its own team.
    const emails = await e.ses.emails();
    expect(emails).toHaveLength(ACCOUNTS * PER_ACCOUNT);
    expect(new Set(emails.map((m) => m.to.join(','))).size).toBe(ACCOUNTS * PER_ACCOUNT);

    // No account's API saw more than the gate's share of a window, nor refused a call.
    for (const [a, sim] of sims.entries()) {
      expect(sim.stats.errors.limit_exceeded ?? 0, accountId(a)).toBe(0);
      const perWindow = new Map<number, number>();
      for (const t of sim.stats.successTimes) {
        const w = Math.floor(t / WINDOW_MS);
        perWindow.set(w, (perWindow.get(w) ?? 0) + 1);
      }
      expect(Math.max(...perWindow.values()), accountId(a)).toBeLessThanOrEqual(SLOTS);
    }
    // Each account's 10 morning reports ask twice (the day and its like day a week before): 20 calls,
    // 4 a window, 5 windows; the year report (the year and the year before it) yields to them.
    const mornings = Array.from({ length: PER_ACCOUNT }, (_, t) => finishedAt.get(subId(0, t)) as number);
    expect(finishedAt.get('year')).toBeGreaterThan(Math.max(...mornings));
    for (const sim of sims.slice(1)) expect(sim.stats.successTimes).toHaveLength(2 * PER_ACCOUNT);
    expect(e.sim.stats.successTimes.length).toBeGreaterThan(2 * PER_ACCOUNT);
    const wall = Math.round(performance.now() - started);
    console.info(
      `many-accounts: ${runs.length} daily reports and a year report over ${ACCOUNTS} accounts, ${minutes} simulated minutes, ${wall} ms wall time`,
    );
  }, 600_000); // a hang guard
});
