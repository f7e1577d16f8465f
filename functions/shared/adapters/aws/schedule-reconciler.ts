/**
 * Makes the deployment's EventBridge Scheduler group hold exactly one schedule
 * per subscription of the catalog, as pipeline/schedules.ts describes it:
 * creates the missing, updates those that differ (read back with GetSchedule),
 * deletes those of subscriptions that are gone. Schedules outside the group
 * are never touched. Runs from the admin CLI (`npm run admin -- schedules
 * sync`, and after every `subscriptions add|remove`) and in the deploy's sync.
 *
 * Scheduler's API rates are limited (ThrottlingException): the client retries
 * them with backoff (maxAttempts), and at most `concurrency` calls are in
 * flight. A schedule created or deleted meanwhile by someone else (Conflict,
 * NotFound) is taken as it is and handled again.
 */
import {
  ConflictException,
  CreateScheduleCommand,
  DeleteScheduleCommand,
  GetScheduleCommand,
  ListSchedulesCommand,
  ResourceNotFoundException,
  type SchedulerClient,
  UpdateScheduleCommand,
} from '@aws-sdk/client-scheduler';
import type { Subscription } from '../../config.ts';
import {
  desiredSchedule,
  type ScheduleDefinition,
  type ScheduleTarget,
  scheduleDiffers,
} from '../../pipeline/schedules.ts';

export interface ReconcileResult {
  created: string[];
  updated: string[];
  deleted: string[];
  unchanged: number;
}

export interface ReconcileOptions {
  client: SchedulerClient;
  target: ScheduleTarget;
  /** Calls in flight at once (default 8). */
  concurrency?: number;
}

const isA = (err: unknown, name: 'ConflictException' | 'ResourceNotFoundException') =>
  (err instanceof ConflictException || err instanceof ResourceNotFoundException || err instanceof Error) &&
  err.name === name;

/** Every schedule name in the group (ListSchedules, 100 a page). */
export async function listScheduleNames(client: SchedulerClient, group: string): Promise<string[]> {
  const names: string[] = [];
  let next: string | undefined;
  do {
    const out = await client.send(
      new ListSchedulesCommand({ GroupName: group, MaxResults: 100, ...(next ? { NextToken: next } : {}) }),
    );
    for (const s of out.Schedules ?? []) if (s.Name) names.push(s.Name);
    next = out.NextToken;
  } while (next);
  return names;
}

/** Runs `work` over `items`, at most `limit` at a time; the first failure is thrown once all have settled. */
async function pool<T>(items: readonly T[], limit: number, work: (item: T) => Promise<void>): Promise<void> {
  let i = 0;
  const errors: unknown[] = [];
  const worker = async () => {
    while (i < items.length) {
      const item = items[i++] as T;
      await work(item).catch((e: unknown) => errors.push(e));
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  if (errors.length > 0) throw errors[0];
}

export async function reconcileSchedules(
  subscriptions: readonly Subscription[],
  opts: ReconcileOptions,
): Promise<ReconcileResult> {
  const { client, target } = opts;
  const concurrency = opts.concurrency ?? 8;
  const wanted = new Map(subscriptions.map((s) => [s.id, desiredSchedule(s, target)]));
  const existing = new Set(await listScheduleNames(client, target.group));
  const result: ReconcileResult = { created: [], updated: [], deleted: [], unchanged: 0 };

  const create = async (d: ScheduleDefinition) => {
    try {
      await client.send(new CreateScheduleCommand(d));
      result.created.push(d.Name);
    } catch (err) {
      if (!isA(err, 'ConflictException')) throw err;
      await update(d); // made meanwhile: make it what it should be
    }
  };
  const update = async (d: ScheduleDefinition) => {
    let actual: Partial<ScheduleDefinition>;
    try {
      actual = (await client.send(
        new GetScheduleCommand({ Name: d.Name, GroupName: d.GroupName }),
      )) as Partial<ScheduleDefinition>;
    } catch (err) {
      if (!isA(err, 'ResourceNotFoundException')) throw err;
      return create(d); // deleted meanwhile
    }
    if (!scheduleDiffers(actual, d)) {
      result.unchanged++;
      return;
    }
    await client.send(new UpdateScheduleCommand(d));
    result.updated.push(d.Name);
  };
  const remove = async (name: string) => {
    try {
      await client.send(new DeleteScheduleCommand({ Name: name, GroupName: target.group }));
      result.deleted.push(name);
    } catch (err) {
      if (!isA(err, 'ResourceNotFoundException')) throw err;
    }
  };

  await pool([...wanted.values()], concurrency, (d) => (existing.has(d.Name) ? update(d) : create(d)));
  await pool(
    [...existing].filter((name) => !wanted.has(name)),
    concurrency,
    remove,
  );
  for (const list of [result.created, result.updated, result.deleted]) list.sort();
  return result;
}
