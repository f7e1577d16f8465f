/**
 * A report for today is partial and never stands for the whole day (issue 13,
 * item 6), through the real handlers against the simulator, s3rver,
 * aws-ses-v2-local and dynalite, on an injected clock (the runtimes' clock,
 * ports.ts's systemClock, set by the test; the local servers keep real time):
 * an on-demand "today" with email at 11:00, then the scheduled daily report of
 * that day next morning, make two emails, the second one complete.
 */
import { GetObjectCommand } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { reportKey } from '../../functions/shared/adapters/aws/s3-storage.ts';
import type { Manifest } from '../../functions/shared/pipeline/manifest.ts';
import { type ReportLocation, systemClock } from '../../functions/shared/pipeline/ports.ts';
import type { Summary } from '../../functions/shared/report/types.ts';
import { parseWall } from '../../functions/shared/time.ts';
import { generateCalls } from '../../simulator/generator.ts';
import { rowStartMs } from '../../simulator/store.ts';
import { apiEvent, lambdaContext as context, type LambdaEnv, startLambdaEnv } from '../support/lambda-env.ts';

const DAY = { from: '2024-10-21', till: '2024-10-21', timezone: 'Europe/Moscow' };
let e: LambdaEnv;
let now = 0;
/** The moment the handlers' runs see, a real instant. */
const setClock = (iso: string) => {
  now = Date.parse(iso);
};

beforeAll(async () => {
  e = await startLambdaEnv({
    simulator: {
      // The day, the same weekday a week before (its comparison) and the follow-up days.
      rows: generateCalls({ seed: 13, from: '2024-10-14', till: '2024-10-22', callsPerDay: 300 }),
    },
    subscriptions: [{ id: 'sales', recipients: ['head.of.sales@example.com'], timezone: 'Europe/Moscow' }],
  });
  vi.spyOn(systemClock, 'now').mockImplementation(() => now);
});

afterAll(async () => {
  vi.restoreAllMocks();
  await e.stop();
});

async function stored<T>(loc: ReportLocation, doc: 'summary' | 'manifest'): Promise<T> {
  const res = await e.s3.client.send(new GetObjectCommand({ Bucket: e.s3.bucket, Key: reportKey(loc, doc) }));
  return JSON.parse((await res.Body?.transformToString()) ?? 'null') as T;
}

/** The simulator's distinct calls of the day that started at or before `last` (wall `hh:mm:ss`). */
function callsUpTo(last: string): number {
  const from = parseWall(`${DAY.from} 00:00:00`) ?? 0;
  const till = parseWall(`${DAY.from} ${last}`) ?? 0;
  const ids = new Set<string>();
  for (const r of e.sim.rows) {
    const t = rowStartMs(r) ?? -1;
    if (t >= from && t <= till) ids.add(String(r.communication_id));
  }
  return ids.size;
}

describe('a partial day and the daily report of that day', () => {
  it('on-demand "today" with email at 11:00, then the scheduled daily report next morning: two emails, the second complete', async () => {
    setClock('2024-10-21T08:00:00Z'); // 11:00 in Moscow
    const post = await e.api(
      apiEvent('POST', '/reports', { date: '2024-10-21', subscription: 'sales', email: true }),
      context('reports-api'),
    );
    expect(post.statusCode).toBe(202);
    const { id } = JSON.parse(post.body) as { id: string };
    expect(await e.worker({ jobId: id }, context('report-worker'))).toEqual({ status: 'done', jobId: id });
    const job = JSON.parse(
      (await e.api(apiEvent('GET', '/reports/{id}', null, { id }), context('reports-api'))).body,
    );
    const today = job.summary as Summary;
    expect(today.period).toEqual({ ...DAY, partial: true, as_of: '2024-10-21 11:00:00' });
    expect(today.totals.calls).toBe(callsUpTo('11:00:00'));
    // Compared with the same span a week earlier: last Monday up to 11:00.
    expect(today.previous?.period).toEqual({
      from: '2024-10-14',
      till: '2024-10-14',
      as_of: '2024-10-14 11:00:00',
    });

    setClock('2024-10-22T05:00:20Z'); // 08:00:20 next morning, the schedule's run
    const daily = await e.daily(
      { subscription: 'sales', scheduled_time: '2024-10-22T05:00:00Z' },
      context('daily-report'),
    );
    expect(daily).toMatchObject({
      status: 'done',
      period: '2024-10-21..2024-10-21',
      outcome: 'built_and_sent',
    });

    const mails = await e.ses.emails();
    expect(mails).toHaveLength(2);
    expect(mails.map((m) => m.to)).toEqual([['head.of.sales@example.com'], ['head.of.sales@example.com']]);
    // Each email is its own report: the partial one under its as_of, the whole day's under the day.
    const partialAt = { subscription: 'sales', period: DAY, as_of: '2024-10-21 11:00:00' };
    const wholeAt = { subscription: 'sales', period: DAY };
    expect((await stored<Manifest>(partialAt, 'manifest')).message_id).toBe(mails[0]?.messageId);
    expect((await stored<Manifest>(wholeAt, 'manifest')).message_id).toBe(mails[1]?.messageId);
    const whole = await stored<Summary>(wholeAt, 'summary');
    expect(whole.period).toEqual({ ...DAY, partial: false, as_of: null });
    expect(whole.totals.calls).toBe(callsUpTo('23:59:59'));
    expect(whole.totals.calls).toBeGreaterThan(today.totals.calls);
    expect(whole.previous?.period).toEqual({ from: '2024-10-14', till: '2024-10-14', as_of: null });
    expect(await stored<Summary>(partialAt, 'summary')).toEqual(today); // the partial one untouched
  });
});
