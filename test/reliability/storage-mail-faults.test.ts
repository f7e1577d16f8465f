/**
 * S3 down for a while, then SES refusing the first sends: no email goes out
 * without its stored report; once the faults pass, one retry completes the job;
 * the manifest tells the truth at every step.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { S3ReportStorage } from '../../functions/shared/adapters/aws/s3-storage.ts';
import type { Manifest } from '../../functions/shared/pipeline/manifest.ts';
import { generateCalls } from '../../simulator/generator.ts';
import { type LambdaEnv, lambdaContext, startLambdaEnv } from '../support/lambda-env.ts';

let e: LambdaEnv;
beforeAll(async () => {
  e = await startLambdaEnv({
    simulator: {
      rows: generateCalls({ seed: 41, from: '2024-10-21', till: '2024-10-22', callsPerDay: 400 }),
    },
    subscriptions: [{ id: 'sales', recipients: ['head.of.sales@example.com'] }],
  });
});
afterAll(async () => {
  await e.stop();
});

const event = { subscription: 'sales', scheduled_time: '2024-10-22T05:00:00Z' };
const loc = {
  subscription: 'sales',
  period: { from: '2024-10-21', till: '2024-10-21', timezone: 'Europe/Moscow' },
};
const run = () => e.daily(event, lambdaContext('daily-report'));

describe('storage and mail faults', () => {
  it('sends nothing while S3 is down, keeps the report while SES is down, and one retry finishes', async () => {
    const storage = new S3ReportStorage({ client: e.s3.client, bucket: e.s3.bucket });
    const manifest = () => storage.loadJson<Manifest>(loc, 'manifest');
    const sent = async () => (await e.ses.emails()).filter((m) => m.to.includes('head.of.sales@example.com'));

    // 1. S3 is down: the run fails, nothing is emailed.
    await e.s3.stop();
    try {
      await expect(run()).rejects.toThrow(/S3 .*failed/);
    } finally {
      await e.s3.restart();
    }
    expect(await sent()).toHaveLength(0);
    expect(await manifest()).toBeNull();

    // 2. S3 is back, SES is down: the report is stored, the manifest says the email failed.
    await e.ses.pause();
    try {
      await expect(run()).rejects.toThrow(/is stored, but the email failed/);
      expect(await manifest()).toMatchObject({ status: 'email_failed', attempts: 1, emailed_at: null });
      expect(await storage.loadJson(loc, 'summary')).not.toBeNull();
      // A retry while SES is still down: still stored, still not sent, one more attempt.
      await expect(run()).rejects.toThrow(/email failed/);
      expect(await manifest()).toMatchObject({ status: 'email_failed', attempts: 2 });
    } finally {
      await e.ses.restart();
    }
    expect(await sent()).toHaveLength(0);
    const workbookKey = (await manifest())?.workbook.key ?? '';
    expect((await storage.readObject(workbookKey)).subarray(0, 2).toString()).toBe('PK');

    // 3. Both are back: one retry sends the stored report, once.
    expect(await run()).toMatchObject({ status: 'done', outcome: 'sent_stored' });
    const m = await manifest();
    expect(m).toMatchObject({
      status: 'emailed',
      attempts: 3,
      last_error: null,
      recipients: ['head.of.sales@example.com'],
    });
    expect(m?.emailed_at).not.toBeNull();
    expect(await sent()).toHaveLength(1);

    // 4. Any later delivery changes nothing.
    expect(await run()).toMatchObject({ outcome: 'already_sent' });
    expect(await sent()).toHaveLength(1);
  });

  it('never wrote a secret to the logs on the way', () => {
    const all = e.logs.join('\n');
    expect(e.logs.length).toBeGreaterThan(5);
    for (const secret of Object.values(e.secrets)) expect(all).not.toContain(secret);
  });
});
