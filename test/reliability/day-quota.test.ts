/**
 * An account's day limit through the real handlers (issue 18, item 3): with
 * its stated `day_limit` used up, the daily report stops at once with the
 * message naming when the quota resets (no retry loop, no call past the
 * limit), and an on-demand job of the same account ends failed with that
 * message, as GET /reports/{id} shows it to the person who asked.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Account, Subscription } from '../../functions/shared/config.ts';
import { handleDailyEvent } from '../../functions/shared/lambda/daily.ts';
import { createReportRuntime, createWorkerRuntime } from '../../functions/shared/lambda/runtime.ts';
import { handleWorkerEvent } from '../../functions/shared/lambda/worker.ts';
import { generateCalls } from '../../simulator/generator.ts';
import { createCatalogTable } from '../support/catalog-table.ts';
import { apiEvent, type LambdaEnv, lambdaContext, startLambdaEnv } from '../support/lambda-env.ts';
import { steppedClock } from '../support/stepped-clock.ts';

const clock = steppedClock(Date.parse('2024-10-22T05:00:00Z'));
const QUOTA =
  "The account's daily API quota is used up (1 request a day); it resets at 2024-10-23 00:00 Europe/Moscow (2024-10-22T21:00:00.000Z)";

let e: LambdaEnv;
beforeAll(async () => {
  e = await startLambdaEnv({
    simulator: {
      rows: generateCalls({ seed: 5, from: '2024-10-14', till: '2024-10-22', callsPerDay: 10 }),
      now: clock.now,
    },
    subscriptions: [],
    env: { CATALOG_TABLE: 'catalog' },
  });
  const catalog = await createCatalogTable(e.dynamo, 'catalog');
  const account: Account = {
    id: 'small',
    api_url: e.sim.url,
    key_secret_arn: e.env.MGF_TOKEN_SECRET_ARN as string,
    minute_limit: 150,
    day_limit: 1,
    report_id: 1015,
  };
  await catalog.putAccount(account, 'admin');
  await catalog.putSubscription(
    { id: 'sales', account: 'small', recipients: ['lead@example.com'] } as Subscription,
    'admin',
  );
});
afterAll(async () => {
  await e.stop();
});

describe('an account whose day limit is used up', () => {
  it('stops the daily report at once, and fails the on-demand job, saying when the quota resets', async () => {
    const rt = { ...createReportRuntime(), clock, sleep: clock.sleep, lockTimer: clock.timer };
    e.sim.resetStats();
    // The day and its like day a week before: two calls, one allowed.
    await expect(
      handleDailyEvent({ subscription: 'sales', scheduled_time: '2024-10-22T05:00:00Z' }, rt),
    ).rejects.toThrow(QUOTA);
    expect(e.sim.stats.calls['get.mgf_calls']).toBe(1);
    expect(await e.ses.emails()).toHaveLength(0);

    const posted = await e.api(
      apiEvent('POST', '/reports', { subscription: 'sales', date: '2024-10-20' }),
      lambdaContext('reports-api'),
    );
    const jobId = (JSON.parse(posted.body) as { id: string }).id;
    const worker = { ...createWorkerRuntime(), clock, sleep: clock.sleep, lockTimer: clock.timer };
    expect(
      await handleWorkerEvent({ jobId }, worker, { getRemainingTimeInMillis: () => 15 * 60_000 }),
    ).toEqual({
      status: 'failed',
      jobId,
    });
    const seen = await e.api(
      apiEvent('GET', '/reports/{id}', null, { id: jobId }),
      lambdaContext('reports-api'),
    );
    expect(JSON.parse(seen.body)).toMatchObject({ status: 'failed', error: { message: QUOTA } });
    expect(e.sim.stats.calls['get.mgf_calls']).toBe(1); // nothing past the quota
  });
});
