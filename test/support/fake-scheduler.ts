/**
 * A local EventBridge Scheduler over real HTTP, in the API's REST-JSON shapes,
 * so the AWS SDK v3 SchedulerClient pointed at it (endpoint) runs its own
 * serialisers, error parsing and retries: CreateSchedule (POST
 * /schedules/{Name}), GetSchedule (GET), UpdateSchedule (PUT), DeleteSchedule
 * (DELETE; groupName in the query), ListSchedules (GET /schedules?ScheduleGroup=,
 * at most 100 a page with NextToken). As the API: a schedule group that does
 * not exist is a 404, a second create a 409 ConflictException, a missing
 * schedule a 404 ResourceNotFoundException, bad names, expressions, zones and
 * windows a 400 ValidationException; `throttleEvery: n` answers every n-th
 * request 429 ThrottlingException (the SDK retries it).
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface FakeSchedule {
  Name: string;
  GroupName: string;
  Arn: string;
  ScheduleExpression: string;
  ScheduleExpressionTimezone?: string;
  FlexibleTimeWindow: { Mode: string; MaximumWindowInMinutes?: number };
  Target: { Arn: string; RoleArn: string; Input?: string; [k: string]: unknown };
  State: string;
  Description?: string;
  CreationDate: number;
  LastModificationDate: number;
  [k: string]: unknown;
}

export interface FakeScheduler {
  url: string;
  /** group → name → schedule */
  schedules(group: string): Map<string, FakeSchedule>;
  /** Requests by operation (CreateSchedule, …, Throttled). */
  calls: Record<string, number>;
  close(): Promise<void>;
}

class ApiError extends Error {
  readonly status: number;
  readonly type: string;
  constructor(status: number, type: string, message: string) {
    super(message);
    this.status = status;
    this.type = type;
  }
}

const NAME_RE = /^[0-9a-zA-Z-_.]{1,64}$/;
const CRON_RE = /^cron\(\S+ \S+ \S+ \S+ \S+ \S+\)$/;

function validate(body: Record<string, unknown>): void {
  const expr = body.ScheduleExpression;
  if (typeof expr !== 'string' || !(CRON_RE.test(expr) || /^(rate|at)\(.+\)$/.test(expr)))
    throw new ApiError(400, 'ValidationException', `Invalid Schedule Expression ${String(expr)}.`);
  if (CRON_RE.test(expr)) {
    const f = expr.slice(5, -1).split(' ');
    if ((f[2] === '?') === (f[4] === '?'))
      throw new ApiError(
        400,
        'ValidationException',
        'Exactly one of day-of-month and day-of-week must be "?".',
      );
  }
  const tz = body.ScheduleExpressionTimezone;
  if (tz !== undefined) {
    try {
      new Intl.DateTimeFormat('en-US', { timeZone: String(tz) });
    } catch {
      throw new ApiError(400, 'ValidationException', `Invalid timezone ${String(tz)}.`);
    }
  }
  const w = body.FlexibleTimeWindow as { Mode?: string; MaximumWindowInMinutes?: number } | undefined;
  if (!w || (w.Mode !== 'OFF' && w.Mode !== 'FLEXIBLE'))
    throw new ApiError(400, 'ValidationException', 'FlexibleTimeWindow.Mode must be OFF or FLEXIBLE.');
  if (
    w.Mode === 'FLEXIBLE' &&
    !(Number(w.MaximumWindowInMinutes) >= 1 && Number(w.MaximumWindowInMinutes) <= 1440)
  )
    throw new ApiError(400, 'ValidationException', 'MaximumWindowInMinutes must be 1-1440 with FLEXIBLE.');
  const t = body.Target as { Arn?: string; RoleArn?: string; Input?: string } | undefined;
  if (!t?.Arn || !t.RoleArn)
    throw new ApiError(400, 'ValidationException', 'Target.Arn and Target.RoleArn are required.');
  if (t.Input !== undefined && t.Input.length > 8192)
    throw new ApiError(400, 'ValidationException', 'Target.Input is over 8192 characters.');
}

export async function startFakeScheduler(
  opts: { groups?: string[]; throttleEvery?: number; now?: () => number } = {},
): Promise<FakeScheduler> {
  const groups = new Map<string, Map<string, FakeSchedule>>(
    ['default', ...(opts.groups ?? [])].map((g) => [g, new Map()]),
  );
  const calls: Record<string, number> = {};
  const now = () => Math.floor((opts.now ?? Date.now)() / 1000);
  let requests = 0;

  const group = (name: string | null) => {
    const g = groups.get(name ?? 'default');
    if (!g) throw new ApiError(404, 'ResourceNotFoundException', `Schedule group ${name} does not exist.`);
    return g;
  };

  function handle(method: string, url: URL, body: Record<string, unknown>): [string, unknown] {
    const m = /^\/schedules(?:\/([^/]+))?$/.exec(url.pathname);
    if (!m) throw new ApiError(404, 'UnknownOperationException', `No route ${method} ${url.pathname}`);
    const name = m[1] === undefined ? undefined : decodeURIComponent(m[1]);
    if (name === undefined) {
      if (method !== 'GET') throw new ApiError(404, 'UnknownOperationException', 'No route');
      const g = group(url.searchParams.get('ScheduleGroup'));
      const max = Math.min(100, Number(url.searchParams.get('MaxResults') ?? 100));
      const prefix = url.searchParams.get('NamePrefix') ?? '';
      const names = [...g.keys()].filter((n) => n.startsWith(prefix)).sort();
      const start = Number(url.searchParams.get('NextToken') ?? 0);
      const page = names.slice(start, start + max).map((n) => {
        const s = g.get(n) as FakeSchedule;
        return {
          Arn: s.Arn,
          Name: s.Name,
          GroupName: s.GroupName,
          State: s.State,
          CreationDate: s.CreationDate,
          LastModificationDate: s.LastModificationDate,
          Target: { Arn: s.Target.Arn },
        };
      });
      const next = start + max < names.length ? String(start + max) : undefined;
      return ['ListSchedules', { Schedules: page, ...(next ? { NextToken: next } : {}) }];
    }
    if (!NAME_RE.test(name)) throw new ApiError(400, 'ValidationException', `Invalid name ${name}.`);
    const groupName =
      (method === 'GET' || method === 'DELETE'
        ? url.searchParams.get('groupName')
        : (body.GroupName as string | undefined)) ?? 'default';
    const g = group(groupName);
    const arn = `arn:aws:scheduler:eu-central-1:123456789012:schedule/${groupName}/${name}`;
    const found = g.get(name);
    switch (method) {
      case 'POST': {
        validate(body);
        if (found) throw new ApiError(409, 'ConflictException', `Schedule ${name} already exists.`);
        const t = now();
        g.set(name, {
          ...(body as object),
          Name: name,
          GroupName: groupName,
          Arn: arn,
          State: String(body.State ?? 'ENABLED'),
          CreationDate: t,
          LastModificationDate: t,
        } as FakeSchedule);
        return ['CreateSchedule', { ScheduleArn: arn }];
      }
      case 'PUT': {
        validate(body);
        if (!found) throw new ApiError(404, 'ResourceNotFoundException', `Schedule ${name} does not exist.`);
        g.set(name, {
          ...(body as object),
          Name: name,
          GroupName: groupName,
          Arn: arn,
          State: String(body.State ?? 'ENABLED'),
          CreationDate: found.CreationDate,
          LastModificationDate: now(),
        } as FakeSchedule);
        return ['UpdateSchedule', { ScheduleArn: arn }];
      }
      case 'GET':
        if (!found) throw new ApiError(404, 'ResourceNotFoundException', `Schedule ${name} does not exist.`);
        return ['GetSchedule', found];
      case 'DELETE':
        if (!found) throw new ApiError(404, 'ResourceNotFoundException', `Schedule ${name} does not exist.`);
        g.delete(name);
        return ['DeleteSchedule', {}];
      default:
        throw new ApiError(404, 'UnknownOperationException', `No route ${method}`);
    }
  }

  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const send = (status: number, payload: unknown, type?: string) => {
        res.writeHead(status, {
          'Content-Type': 'application/json',
          ...(type ? { 'x-amzn-ErrorType': type } : {}),
        });
        res.end(JSON.stringify(payload));
      };
      requests++;
      if (opts.throttleEvery && requests % opts.throttleEvery === 0) {
        calls.Throttled = (calls.Throttled ?? 0) + 1;
        return send(429, { Message: 'Rate exceeded' }, 'ThrottlingException');
      }
      try {
        const text = Buffer.concat(chunks).toString('utf8');
        const body = text ? (JSON.parse(text) as Record<string, unknown>) : {};
        const [op, out] = handle(req.method ?? 'GET', new URL(req.url ?? '/', 'http://x'), body);
        calls[op] = (calls[op] ?? 0) + 1;
        send(200, out);
      } catch (err) {
        if (err instanceof ApiError) return send(err.status, { Message: err.message }, err.type);
        send(500, { Message: String(err) }, 'InternalServerException');
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    schedules: (g) => group(g),
    calls,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
