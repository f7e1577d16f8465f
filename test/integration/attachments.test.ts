/**
 * Attachments are opt-in per subscription (`attach_workbook`): by default the
 * daily email carries the link only, so clients' numbers do not outlive the
 * link's expiry in every mailbox; a subscription that opts in gets the
 * workbook attached (up to ATTACH_LIMIT_BYTES). Through the daily handler.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateCalls } from '../../simulator/generator.ts';
import { type LambdaEnv, lambdaContext, startLambdaEnv } from '../support/lambda-env.ts';

let e: LambdaEnv;
beforeAll(async () => {
  e = await startLambdaEnv({
    simulator: {
      rows: generateCalls({ seed: 23, from: '2024-10-20', till: '2024-10-22', callsPerDay: 150 }),
    },
    subscriptions: [
      { id: 'sales', recipients: ['head@example.com'] },
      { id: 'board', recipients: ['ceo@example.com'], attach_workbook: true },
    ],
  });
});
afterAll(async () => {
  await e.stop();
});

const mailTo = async (address: string) => (await e.ses.emails()).filter((m) => m.to.includes(address));

describe('the workbook attached to the daily email', () => {
  it('is not, by default: the email has the link only', async () => {
    await e.daily(
      { subscription: 'sales', scheduled_time: '2024-10-22T05:00:00Z' },
      lambdaContext('daily-report'),
    );
    const [mail] = await mailTo('head@example.com');
    expect(mail?.attachments).toEqual([]);
    expect(mail?.html).toContain(e.env.DOWNLOAD_BASE_URL);
  });

  it('is, for a subscription that opts in', async () => {
    await e.daily(
      { subscription: 'board', scheduled_time: '2024-10-22T05:00:00Z' },
      lambdaContext('daily-report'),
    );
    const [mail] = await mailTo('ceo@example.com');
    expect(mail?.attachments.map((a) => a.filename)).toEqual(['Звонки 2024-10-21.xlsx']);
    expect(mail?.html).toContain(e.env.DOWNLOAD_BASE_URL);
  });
});
