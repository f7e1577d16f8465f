/**
 * Schedulers and asynchronous invocations deliver at least once, sometimes at
 * the same moment: the same scheduled event delivered three times in sequence,
 * and three times concurrently, makes exactly one email.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateCalls } from '../../simulator/generator.ts';
import { type LambdaEnv, lambdaContext, startLambdaEnv } from '../support/lambda-env.ts';

let e: LambdaEnv;
beforeAll(async () => {
  e = await startLambdaEnv({
    simulator: {
      rows: generateCalls({ seed: 51, from: '2024-10-19', till: '2024-10-22', callsPerDay: 300 }),
    },
    subscriptions: [{ id: 'sales', recipients: ['head.of.sales@example.com', 'ceo@example.com'] }],
  });
});
afterAll(async () => {
  await e.stop();
});

const deliver = (scheduledTime: string) =>
  e.daily({ subscription: 'sales', scheduled_time: scheduledTime }, lambdaContext('daily-report'));
const mailsFor = async (day: string) => (await e.ses.emails()).filter((m) => m.subject.includes(day));

describe('duplicate deliveries of one scheduled event', () => {
  it('send one email when delivered three times in sequence', async () => {
    const outcomes = [];
    for (let i = 0; i < 3; i++) outcomes.push((await deliver('2024-10-22T05:00:00Z')).outcome);
    expect(outcomes).toEqual(['built_and_sent', 'already_sent', 'already_sent']);
    expect(await mailsFor('21.10.2024')).toHaveLength(1);
  });

  it('send one email when delivered three times at the same moment, and their retries send none', async () => {
    const results = await Promise.allSettled([1, 2, 3].map(() => deliver('2024-10-21T05:00:00Z')));
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    const busy = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
    expect(busy).toHaveLength(2);
    for (const r of busy) expect(String(r.reason)).toMatch(/ReportInProgressError/);
    expect(await mailsFor('20.10.2024')).toHaveLength(1);

    // Lambda retries the two that failed; by then the report is sent.
    for (let i = 0; i < 2; i++)
      expect(await deliver('2024-10-21T05:00:00Z')).toMatchObject({ outcome: 'already_sent' });
    expect(await mailsFor('20.10.2024')).toHaveLength(1);
  });

  it('a delivery of the next day’s event is its own report and email', async () => {
    await Promise.allSettled([1, 2].map(() => deliver('2024-10-20T05:00:00Z')));
    expect(await mailsFor('19.10.2024')).toHaveLength(1);
  });
});
