/**
 * The manifest's state transitions alone (pipeline/manifest.ts), as pure
 * functions: what a run has left to do, the manifest a build stores (keeping an
 * earlier send unless forced), one more attempt, emailed, a failed send.
 */
import { describe, expect, it } from 'vitest';
import {
  emailed,
  keepsSent,
  type Manifest,
  needsSending,
  nextStep,
  type RunWish,
  retried,
  sameRecipients,
  sendFailed,
  storedManifest,
} from '../../functions/shared/pipeline/manifest.ts';

const period = { from: '2024-10-21', till: '2024-10-21', timezone: 'Europe/Moscow' };
const STORED = '2024-10-22T06:00:00.000Z';
const LATER = '2024-10-22T06:05:00.000Z';
const workbook = {
  key: 'reports/sales/2024-10-21_2024-10-21/report.xlsx',
  location: 's3://b/w',
  bytes: 9_000,
};
const summaryFile = {
  key: 'reports/sales/2024-10-21_2024-10-21/summary.json',
  location: 's3://b/s',
  bytes: 900,
};

function manifest(over: Partial<Manifest> = {}): Manifest {
  return {
    version: 1,
    subscription: 'sales',
    period,
    status: 'stored',
    attempts: 1,
    workbook,
    summary: summaryFile,
    stored_at: STORED,
    emailed_at: null,
    recipients: ['head@example.com'],
    message_id: null,
    last_error: null,
    updated_at: STORED,
    ...over,
  };
}

const sent = manifest({ status: 'emailed', emailed_at: STORED, message_id: 'm-1' });
const failed = manifest({ status: 'email_failed', last_error: 'SES said no' });

function wish(over: Partial<RunWish> = {}): RunWish {
  return { recipients: ['head@example.com'], wantsEmail: true, force: false, ...over };
}

const built = (over: { recipients?: string[]; force?: boolean } = {}) => ({
  subscription: 'sales',
  period,
  workbook,
  summary: summaryFile,
  recipients: ['head@example.com'],
  force: false,
  now: LATER,
  ...over,
});

describe('sameRecipients', () => {
  it('compares people, whatever the order, case, spaces or repeats', () => {
    expect(sameRecipients(['A@x.ru', ' b@x.ru'], ['b@x.ru', 'a@x.ru', 'a@x.ru'])).toBe(true);
    expect(sameRecipients(['a@x.ru'], ['a@x.ru', 'c@x.ru'])).toBe(false);
    expect(sameRecipients([], [])).toBe(true);
  });
});

describe('nextStep: what a run has left to do', () => {
  it('builds when there was no earlier run', () => {
    expect(nextStep(null, wish())).toBe('build');
  });

  it('does nothing when the report was emailed to the same recipients', () => {
    expect(nextStep(sent, wish({ recipients: ['HEAD@example.com '] }))).toBe('already_sent');
  });

  it('does nothing when the report was emailed and this run wants no email', () => {
    expect(nextStep(sent, wish({ recipients: [], wantsEmail: false }))).toBe('already_sent');
  });

  it('builds again for new recipients of an emailed report', () => {
    expect(nextStep(sent, wish({ recipients: ['ceo@example.com'] }))).toBe('build');
  });

  it('only sends the stored email after a failed send, or when stored but not sent, to the same recipients', () => {
    expect(nextStep(failed, wish())).toBe('send_stored');
    expect(nextStep(manifest(), wish())).toBe('send_stored');
  });

  it('builds again when the stored report is for other recipients, or no email is wanted', () => {
    expect(nextStep(failed, wish({ recipients: ['ceo@example.com'] }))).toBe('build');
    expect(nextStep(manifest(), wish({ wantsEmail: false }))).toBe('build');
  });

  it('builds whatever was done before when forced', () => {
    for (const previous of [sent, failed, manifest()])
      expect(nextStep(previous, wish({ force: true }))).toBe('build');
  });
});

describe('storedManifest: the manifest a build stores', () => {
  it("is stored, first attempt, for this run's recipients, when there was no earlier run", () => {
    expect(storedManifest(null, built())).toEqual(
      manifest({ stored_at: LATER, updated_at: LATER, attempts: 1, recipients: ['head@example.com'] }),
    );
  });

  it('keeps the record of an earlier send (status, time, recipients, message id): the report stays emailed', () => {
    const m = storedManifest(sent, built({ recipients: ['ceo@example.com'] }));
    expect(keepsSent(sent, false)).toBe(true);
    expect(m).toMatchObject({
      status: 'emailed',
      attempts: 2,
      emailed_at: STORED,
      recipients: ['head@example.com'],
      message_id: 'm-1',
      stored_at: LATER,
      last_error: null,
    });
  });

  it("forgets an earlier send when forced: stored, for this run's recipients", () => {
    const m = storedManifest(sent, built({ recipients: ['ceo@example.com'], force: true }));
    expect(keepsSent(sent, true)).toBe(false);
    expect(m).toMatchObject({
      status: 'stored',
      attempts: 2,
      emailed_at: null,
      recipients: ['ceo@example.com'],
      message_id: null,
    });
  });

  it('clears the error of a failed send and counts the attempt', () => {
    const m = storedManifest(failed, built());
    expect(keepsSent(failed, false)).toBe(false);
    expect(m).toMatchObject({ status: 'stored', attempts: 2, last_error: null });
  });
});

describe('needsSending: after a build', () => {
  it('sends when an email is wanted and the report was not already emailed to these recipients', () => {
    expect(needsSending(storedManifest(null, built()), false, wish())).toBe(true);
    const kept = storedManifest(sent, built({ recipients: ['ceo@example.com'] }));
    expect(needsSending(kept, true, wish({ recipients: ['ceo@example.com'] }))).toBe(true);
  });

  it('sends nothing when no email is wanted, or a kept send already reached these recipients', () => {
    expect(needsSending(storedManifest(null, built()), false, wish({ wantsEmail: false }))).toBe(false);
    expect(needsSending(storedManifest(sent, built()), true, wish())).toBe(false);
  });
});

describe('the send transitions', () => {
  it('retried: one more attempt, nothing else changed, the earlier manifest left alone', () => {
    const next = retried(failed);
    expect(next).toEqual({ ...failed, attempts: 2 });
    expect(failed.attempts).toBe(1);
  });

  it('emailed: sent to these recipients as this message, the error cleared, the store time kept', () => {
    const m = emailed(failed, ['ceo@example.com'], 'm-2', LATER);
    expect(m).toEqual({
      ...failed,
      status: 'emailed',
      emailed_at: LATER,
      recipients: ['ceo@example.com'],
      message_id: 'm-2',
      last_error: null,
      updated_at: LATER,
    });
    expect(failed.status).toBe('email_failed');
  });

  it('sendFailed: the error and the recipients recorded, the stored report and an earlier send left as they were', () => {
    const m = sendFailed(sent, ['ceo@example.com'], new Error('SES said no'), LATER);
    expect(m).toEqual({
      ...sent,
      status: 'email_failed',
      recipients: ['ceo@example.com'],
      last_error: 'SES said no',
      updated_at: LATER,
    });
    expect(sendFailed(manifest(), [], 'throttled', LATER).last_error).toBe('throttled');
  });
});
