/**
 * The Powertools metrics the alarms and the dashboard read
 * (infra/constructs/observability.ts), as the handlers flush them
 * (CloudWatch embedded metric format in the log): a daily run's ReportsMade,
 * EmailsSent, ReportDuration, CallsFetched and RowsRejected, none of the first
 * two for a delivery that finds the report sent, and DataApiRetriesExhausted
 * with JobsFailed when the Data API never answers within the budget.
 */
import type { Context } from 'aws-lambda';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { END_MARGIN_MS } from '../../functions/shared/lambda/budget.ts';
import { generateCalls } from '../../simulator/generator.ts';
import { apiEvent, type LambdaEnv, lambdaContext, metricsIn, startLambdaEnv } from '../support/lambda-env.ts';

let e: LambdaEnv;
beforeAll(async () => {
  e = await startLambdaEnv({
    simulator: {
      rows: generateCalls({ seed: 29, from: '2024-10-13', till: '2024-10-22', callsPerDay: 120 }),
    },
    subscriptions: [{ id: 'sales', recipients: ['head@example.com'] }],
  });
});
afterAll(async () => {
  await e.stop();
});

const daily = (at: string) =>
  e.daily({ subscription: 'sales', scheduled_time: at }, lambdaContext('daily-report'));

describe('the daily run’s metrics', () => {
  it('count a report made and an email sent, with its duration, calls fetched and rejected rows', async () => {
    const at = e.logs.length;
    await daily('2024-10-22T05:00:00Z');
    const m = metricsIn(e.logs.slice(at));
    expect(m).toMatchObject({ ReportsMade: 1, EmailsSent: 1, RowsRejected: 0 });
    expect(m.CallsFetched).toBeGreaterThan(0);
    expect(m.ReportDuration).toBeGreaterThan(0);
  });

  it('count neither for a delivery that finds the report sent', async () => {
    const at = e.logs.length;
    expect((await daily('2024-10-22T05:00:00Z')).outcome).toBe('already_sent');
    const m = metricsIn(e.logs.slice(at));
    expect(m.ReportsMade).toBeUndefined();
    expect(m.EmailsSent).toBeUndefined();
  });
});

describe('a Data API that never answers within the budget', () => {
  it('counts DataApiRetriesExhausted and JobsFailed', async () => {
    e.sim.setFaults({ http500Every: 1 });
    try {
      const post = await e.api(
        apiEvent('POST', '/reports', { date: '2024-10-15' }),
        lambdaContext('reports-api'),
      );
      const { id } = JSON.parse(post.body) as { id: string };
      const at = e.logs.length;
      // Forty seconds to run (a fetch deadline of thirty): the client gives up after its six attempts
      // (at most 15.5 s of backoff), far before the worker's own end, however busy the machine is;
      // with a gap of seconds, a slow release of the claim let the worker's watchdog win now and then.
      const context: Context = {
        ...lambdaContext('report-worker'),
        getRemainingTimeInMillis: () => END_MARGIN_MS + 40_000,
      };
      expect(await e.worker({ jobId: id }, context)).toEqual({ status: 'failed', jobId: id });
      expect(metricsIn(e.logs.slice(at))).toMatchObject({ DataApiRetriesExhausted: 1, JobsFailed: 1 });
    } finally {
      e.sim.clearFaults();
    }
  }, 90_000);
});
