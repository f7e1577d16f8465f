/**
 * A run that loses its lease while it still lives (its claim's renewals fail
 * for longer than the lease, or its container is frozen) while a retry takes
 * the claim and sends the report: the audit's reproduction sent two emails.
 * Here, through runReport, the real DynamoDB claim against dynalite and a real
 * folder: one email, the manifest the sender's, and a later delivery does
 * nothing. The clock and the heartbeat are the test's own; nothing sleeps.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DynamoDBClient, GetItemCommand } from '@aws-sdk/client-dynamodb';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { DynamoReportLock } from '../../functions/shared/adapters/aws/dynamo-lock.ts';
import { LocalFolderStorage } from '../../functions/shared/adapters/local/folder-storage.ts';
import type { CallRange, FetchedCalls } from '../../functions/shared/calls/source.ts';
import { ClaimLostError, LOCK_LEASE_MS } from '../../functions/shared/pipeline/claim.ts';
import type { Manifest } from '../../functions/shared/pipeline/manifest.ts';
import { type ReportRequest, runReport } from '../../functions/shared/pipeline/run-report.ts';
import { makeCall } from '../support/calls.ts';
import { type LocalDynamo, startDynalite } from '../support/dynalite.ts';
import { FakeSource, RecordingMailer } from '../support/fake-source.ts';

const period = { from: '2024-10-21', till: '2024-10-21', timezone: 'Europe/Moscow' };
const request: ReportRequest = {
  subscription: 'sales',
  period,
  language: 'ru',
  recipients: ['head@example.com'],
  from: 'reports@example.com',
};
const loc = { subscription: 'sales', period };
const calls = [
  makeCall('2024-10-21 10:00:00', { lost: true, contactNumber: '79001112233' }),
  makeCall('2024-10-21 10:05:00', { direction: 'out', contactNumber: '79001112233' }),
];

let db: LocalDynamo;
beforeAll(async () => {
  db = await startDynalite();
});
afterAll(async () => {
  await db.stop();
});

let dir: string;
let storage: LocalFolderStorage;
let mailer: RecordingMailer;
let now: number;
const clock = { now: () => now };
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'lost-lease-'));
  storage = new LocalFolderStorage(dir);
  mailer = new RecordingMailer();
  now = Date.UTC(2024, 9, 22, 6, 0, 0);
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** A source whose first fetch waits until the test lets it go (the slow run, parked mid-fetch). */
class ParkedSource extends FakeSource {
  private release!: () => void;
  private readonly gate = new Promise<void>((resolve) => {
    this.release = resolve;
  });
  readonly parked: Promise<void>;
  private arrived!: () => void;
  constructor() {
    super(calls);
    this.parked = new Promise<void>((resolve) => {
      this.arrived = resolve;
    });
  }
  override async fetch(range: CallRange): Promise<FetchedCalls> {
    if (this.fetches.length === 0) {
      this.arrived();
      await this.gate;
    }
    return super.fetch(range);
  }
  go(): void {
    this.release();
  }
}

/** A DynamoDB client of the same table whose UpdateItem calls (the renewals) fail while `away`. */
function flakyClient(): { client: DynamoDBClient; away: boolean } {
  const state = { client: new DynamoDBClient({}), away: false };
  state.client = new DynamoDBClient({
    endpoint: db.endpoint,
    region: 'us-east-1',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    maxAttempts: 1,
  });
  state.client.middlewareStack.add(
    (next, context) => async (args) => {
      if (state.away && context.commandName === 'UpdateItemCommand') {
        throw Object.assign(new Error('connect ETIMEDOUT'), { name: 'TimeoutError' });
      }
      return next(args);
    },
    { step: 'initialize', name: 'unreachable' },
  );
  return state;
}

/** A heartbeat the test beats by hand. */
function handTimer() {
  let beat: (() => void) | null = null;
  return {
    every(_ms: number, fn: () => void) {
      beat = fn;
      return () => {
        beat = null;
      };
    },
    beat: () => beat?.(),
  };
}

const settle = () => new Promise<void>((resolve) => setImmediate(resolve));
const claimItem = async () =>
  (
    await db.client.send(
      new GetItemCommand({ TableName: db.table, Key: { pk: { S: 'report/sales/2024-10-21_2024-10-21' } } }),
    )
  ).Item;

describe('a run that lost its lease while a retry made the report', () => {
  it('sends nothing when its renewals failed for longer than the lease: one email', async () => {
    const flaky = flakyClient();
    const slowSource = new ParkedSource();
    const timer = handTimer();
    const lockA = new DynamoReportLock({ client: flaky.client, table: db.table, now: clock.now });
    const runA = runReport(request, {
      source: slowSource,
      storage,
      mailer,
      clock,
      lock: lockA,
      lockTimer: timer,
    }).catch((e: unknown) => e);
    await slowSource.parked;

    // DynamoDB is out of reach for run A: every renewal of its lease fails, past the lease.
    flaky.away = true;
    for (let beat = 0; beat < 4; beat++) {
      now += LOCK_LEASE_MS / 3;
      timer.beat();
      await settle();
    }

    // Lambda's retry of the same event: the lease has run out, so it takes the claim and sends.
    const lockB = new DynamoReportLock({ client: db.client, table: db.table, now: clock.now });
    const runB = await runReport(request, {
      source: new FakeSource(calls),
      storage,
      mailer,
      clock,
      lock: lockB,
      lockTimer: handTimer(),
    });
    expect(runB.outcome).toBe('built_and_sent');

    // Run A comes back to life, reaches the manifest and the send: it stops there.
    flaky.away = false;
    slowSource.go();
    const err = await runA;
    expect(err).toBeInstanceOf(ClaimLostError);
    expect((err as Error).message).toMatch(/renewals failed for longer than the 120-second lease/);
    expect(mailer.sent).toHaveLength(1);
    const manifest = await storage.loadJson<Manifest>(loc, 'manifest');
    expect(manifest).toMatchObject({ status: 'emailed', attempts: 1, message_id: 'm-1' });

    // A later delivery finds it sent.
    const later = await runReport(request, {
      source: new FakeSource(calls),
      storage,
      mailer,
      clock,
      lock: lockB,
      lockTimer: handTimer(),
    });
    expect(later.outcome).toBe('already_sent');
    expect(mailer.sent).toHaveLength(1);
  });

  it('sends nothing when it was frozen past its lease and never noticed: the conditional write refuses it', async () => {
    const slowSource = new ParkedSource();
    const lockA = new DynamoReportLock({ client: db.client, table: db.table, now: clock.now });
    // A frozen container: its heartbeat never beats while the clock runs on.
    const runA = runReport(request, {
      source: slowSource,
      storage,
      mailer,
      clock,
      lock: lockA,
      lockTimer: handTimer(),
    }).catch((e: unknown) => e);
    await slowSource.parked;
    now += LOCK_LEASE_MS + 1_000;

    const runB = await runReport(request, {
      source: new FakeSource(calls),
      storage,
      mailer,
      clock,
      lock: new DynamoReportLock({ client: db.client, table: db.table, now: clock.now }),
      lockTimer: handTimer(),
    });
    expect(runB.outcome).toBe('built_and_sent');

    slowSource.go();
    const err = await runA;
    expect(err).toBeInstanceOf(ClaimLostError);
    expect((err as Error).message).toMatch(/its lease ran out or another run holds it/);
    expect(mailer.sent).toHaveLength(1);
    expect(await storage.loadJson<Manifest>(loc, 'manifest')).toMatchObject({ status: 'emailed' });
  });

  it('records the step it proved on the claim item while it holds the claim', async () => {
    const source = new ParkedSource();
    const mailerSeen: string[] = [];
    const watching = {
      send: async (m: Parameters<RecordingMailer['send']>[0]) => {
        const item = await claimItem();
        mailerSeen.push(`${item?.step?.S} ${item?.step_at?.S}`);
        return mailer.send(m);
      },
    };
    const run = runReport(request, {
      source,
      storage,
      mailer: watching,
      clock,
      lock: new DynamoReportLock({ client: db.client, table: db.table, now: clock.now }),
      lockTimer: handTimer(),
    });
    await source.parked;
    source.go();
    await run;
    expect(mailerSeen).toEqual([`email ${new Date(now).toISOString()}`]);
  });
});
