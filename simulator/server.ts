/**
 * A real HTTP JSON-RPC 2.0 simulator of the UIS / CoMagic Data API v2.0
 * (`get.mgf_calls`, `get.reports_list`, `get.account`), with the API's limits,
 * errors and a set of switchable faults. See data-api.md for the contract.
 *
 * Decisions where the docs are silent:
 * - API errors are answered with HTTP 200 and an `error` member; transport
 *   faults (500, 502, a truncated body) are answered as such.
 * - Every successful call of any method costs one point of the minute and day
 *   limits; failed calls cost nothing. Windows are fixed: a window opens at the
 *   first call after the previous one closed.
 * - `fields` missing or empty gives `data: []` and `total_items: 0`.
 * - `get.account` answers `data` as a one-element array `[{app_id, name, timezone}]`.
 * - Faults counted "every n-th" count `get.mgf_calls` requests since the
 *   faults were last set (so `setFaults` restarts the count); when several
 *   fire on the same request: reset, 500, 502, then the `apiError`, then
 *   limit_exceeded, then truncation.
 * - A request whose `Content-Type` is not `application/json` (with a UTF-8
 *   charset when one is named) answers `invalid_request`: data-api.md makes
 *   that header part of the protocol, so the simulator does not accept less.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { DEFAULT_TIMEZONE } from '../functions/shared/time.ts';
import { FULL_FIELDS, type MgfCallRow } from './columns.ts';
import { ApiError, type Mnemonic, simulatedMessage } from './errors.ts';
import { type GeneratorOptions, generateCalls, generateExtraRows } from './generator.ts';
import { JsonWriter, rowWriter } from './json.ts';
import { checkUnexpected, type MgfQuery, parseMgfParams, type Report } from './query.ts';
import { CallStore, repeatRule, type Selection } from './store.ts';
import { unstablePositions } from './unstable-order.ts';

export type { Report } from './query.ts';

export interface RateLimits {
  /** Successful calls allowed per window (default 150, as a public fixture shows). */
  minuteLimit: number;
  /** Successful calls allowed per day window (default 10 000). */
  dayLimit: number;
  /** The "minute" window, ms (default 60 000; tests shrink it). */
  windowMs: number;
  /** The "day" window, ms (default 86 400 000). */
  dayWindowMs: number;
}

export interface Faults {
  /** Every n-th `get.mgf_calls` answers `limit_exceeded` (minute) with a short `minute_reset`. */
  rateLimitEvery?: number;
  /** `minute_reset` sent with `rateLimitEvery`, seconds (default 1). */
  rateLimitResetSeconds?: number;
  /** Every n-th `get.mgf_calls` answers HTTP 500 with a text body. */
  http500Every?: number;
  /** Every n-th `get.mgf_calls` answers HTTP 502 with an HTML page (a proxy in the way). */
  html502Every?: number;
  /** Every n-th `get.mgf_calls` sends only the first half of its (valid) JSON body, status 200. */
  truncateEvery?: number;
  /** Delay, ms, before replying to `get.mgf_calls`… */
  slowMs?: number;
  /** …on every n-th request (default 1: all of them). */
  slowEvery?: number;
  /** Before answering each valid `get.mgf_calls`, add this many new rows inside the queried range. */
  drift?: { rowsPerCall: number } | null;
  /** Every call answers `access_token_invalid`. */
  badToken?: boolean;
  /** Every call answers `ip_not_whitelisted`. */
  ipNotWhitelisted?: boolean;
  /** `get.mgf_calls` answers `method_component_disabled`. */
  componentDisabled?: boolean;
  /** Every call answers `limit_exceeded` for the day limit. */
  dayLimitExhausted?: boolean;
  /** Every request answers HTTP 500. */
  failAlways500?: boolean;
  /**
   * Share of calls, 0..1, the API returns twice (data-api.md, "Paging"): the
   * repeat carries `communication_id` in the other form (a string for a numeric
   * id), is counted in `total_items` and sits next to its twin in every sort
   * order, so repeats cross page boundaries too. Rows are chosen evenly from the
   * first one on (n rows get ⌊(n−1)·share⌋ + 1 twins), drift rows included.
   * Default 0; the CLI demo and `npm run simulator` use 0.003.
   */
  repeatRows?: number;
  /** Calls with these `communication_id`s are returned twice too (for tests: e.g. the last row of a page). */
  repeatIds?: readonly number[];
  /**
   * The keys `metadata.limits` carries, in answers and in `limit_exceeded`
   * errors (default all six). `[]` sends `{}`, as the method's own examples
   * do; e.g. `['minute_limit', 'minute_remaining']` sends one without `minute_reset`.
   */
  limitsKeys?: readonly LimitsKey[] | null;
  /**
   * An API error with this mnemonic (any of errors.ts: `internal_error`,
   * `forbidden`, `account_inactive`, `access_token_expired`, `parameter_component_disabled`, …):
   * on every call of any method, or with `every` on every n-th `get.mgf_calls`.
   */
  apiError?: { mnemonic: Mnemonic; every?: number; message?: string; field?: string } | null;
  /** HTTP status sent with every API error (default 200; data-api.md: errors come with 200 or not). */
  errorStatus?: number;
  /** Every n-th `get.mgf_calls` drops the connection without an answer (a network error). */
  resetEvery?: number;
  /** Every n-th `get.mgf_calls` holds only half the rows its page should (total_items unchanged): a short page that is not the last. */
  shortPageEvery?: number;
  /** Rows the sort leaves tied (all of them when no sort is given) come in a new order on every request. */
  unstableOrder?: boolean;
}

export interface SimulatorOptions {
  /** Raw rows to serve (any order; kept sorted by start). Takes precedence over `generator`. */
  rows?: readonly MgfCallRow[];
  /** Generate the rows; its seed/employees/lines also shape drift rows. */
  generator?: GeneratorOptions;
  /** Default 127.0.0.1. */
  host?: string;
  /** Default 0 (any free port). */
  port?: number;
  /** Default "test-token". */
  accessToken?: string;
  /** For `get.reports_list`; default one report {id: 1015, name: "Все звонки", type: "mgf_calls"}. */
  reports?: readonly Report[];
  /** Answered by `get.account`; default Europe/Moscow. */
  timezone?: string;
  limits?: Partial<RateLimits>;
  faults?: Faults;
  /** Cache the JSON of full rows as they are first served (default true). */
  jsonCache?: boolean;
  /** Serialise every row into that cache before listening (~3 µs a row), so even a first read is copies only. */
  warmCache?: boolean;
  /** The clock the rate limits count by (default `Date.now`; a test drives its own). */
  now?: () => number;
}

export interface SimulatorStats {
  /** HTTP requests received. */
  requests: number;
  /** JSON-RPC requests per method name (whatever their outcome). */
  calls: Record<string, number>;
  /** The time (`now`, by default `Date.now()`) of every successful (charged) call. */
  successTimes: number[];
  /** Requests in flight now, and the most ever at once. */
  concurrent: number;
  peakConcurrent: number;
  /** Errors sent, by mnemonic, plus `http_500`, `http_502`, `truncated`. */
  errors: Record<string, number>;
}

export interface Simulator {
  /** e.g. `http://127.0.0.1:PORT/v2.0`. */
  readonly url: string;
  readonly port: number;
  readonly accessToken: string;
  /** The id of the first `mgf_calls` report. */
  readonly reportId: number;
  readonly stats: SimulatorStats;
  /** All rows served in start order, repeats included (a fresh array on each access). */
  readonly rows: readonly MgfCallRow[];
  /** Rows served, repeats included. */
  readonly rowCount: number;
  /** Rows served twice by `repeatRows` / `repeatIds` (rows a dataset repeats itself are not counted). */
  readonly repeatedRows: number;
  /** The faults in force. */
  readonly faults: Readonly<Faults>;
  /** Merges into the faults in force (`undefined`/0/false switches one off) and restarts the every-n-th count. */
  setFaults(partial: Partial<Faults>): void;
  clearFaults(): void;
  /** Adds rows (e.g. to simulate drift between two reads). */
  addRows(rows: readonly MgfCallRow[]): void;
  resetStats(): void;
  close(): Promise<void>;
}

export const DEFAULT_REPORTS: readonly Report[] = Object.freeze([
  Object.freeze({ id: 1015, name: 'Все звонки', type: 'mgf_calls' }),
]);

const DEFAULT_LIMITS: RateLimits = {
  minuteLimit: 150,
  dayLimit: 10_000,
  windowMs: 60_000,
  dayWindowMs: 86_400_000,
};

const JSON_TYPE = 'application/json; charset=UTF-8';
const HTML_502 =
  '<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>\r\n<center><h1>502 Bad Gateway</h1></center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n';

export type LimitsKey = keyof LimitsMeta;

interface LimitsMeta {
  day_limit: number;
  day_remaining: number;
  day_reset: number;
  minute_limit: number;
  minute_remaining: number;
  minute_reset: number;
}

/** Fixed-window minute and day counters of successful calls. */
class Limiter {
  cfg: RateLimits;
  private minuteStart = Number.NEGATIVE_INFINITY;
  private minuteCount = 0;
  private dayStart = Number.NEGATIVE_INFINITY;
  private dayCount = 0;

  constructor(cfg: RateLimits) {
    this.cfg = cfg;
  }

  private roll(now: number): void {
    if (now - this.minuteStart >= this.cfg.windowMs) {
      this.minuteStart = now;
      this.minuteCount = 0;
    }
    if (now - this.dayStart >= this.cfg.dayWindowMs) {
      this.dayStart = now;
      this.dayCount = 0;
    }
  }

  exceeded(now: number): 'minute' | 'day' | null {
    this.roll(now);
    if (this.dayCount >= this.cfg.dayLimit) return 'day';
    if (this.minuteCount >= this.cfg.minuteLimit) return 'minute';
    return null;
  }

  charge(now: number): void {
    this.roll(now);
    this.minuteCount++;
    this.dayCount++;
  }

  snapshot(now: number): LimitsMeta {
    this.roll(now);
    return {
      day_limit: this.cfg.dayLimit,
      day_remaining: Math.max(0, this.cfg.dayLimit - this.dayCount),
      day_reset: Math.ceil((this.dayStart + this.cfg.dayWindowMs - now) / 1000),
      minute_limit: this.cfg.minuteLimit,
      minute_remaining: Math.max(0, this.cfg.minuteLimit - this.minuteCount),
      minute_reset: Math.ceil((this.minuteStart + this.cfg.windowMs - now) / 1000),
    };
  }
}

function limitError(
  which: 'minute' | 'day',
  limits: LimitsMeta,
  show: (l: LimitsMeta) => Partial<LimitsMeta>,
): ApiError {
  const meta =
    which === 'minute'
      ? { ...limits, minute_remaining: 0 }
      : { ...limits, day_remaining: 0, minute_remaining: limits.minute_remaining };
  const message =
    which === 'minute'
      ? `Minute limit exceeded (${limits.minute_limit} calls); retry in ${meta.minute_reset} s`
      : `Day limit exceeded (${limits.day_limit} calls); resets in ${meta.day_reset} s`;
  return new ApiError('limit_exceeded', message, { metadata: { limits: show(meta) } });
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

const every = (n: number | undefined, count: number): boolean =>
  n !== undefined && Number.isFinite(n) && n >= 1 && count % Math.floor(n) === 0;

const ACCOUNT_PARAMS: ReadonlySet<string> = new Set(['access_token', 'user_id']);
const LIST_PARAMS: ReadonlySet<string> = new Set([
  'access_token',
  'user_id',
  'fields',
  'filter',
  'sort',
  'limit',
  'offset',
]);

/** Per-request decisions taken from the fault switches. */
interface RequestFlags {
  rateLimit: boolean;
  apiError: boolean;
  shortPage: boolean;
}

/** `limits` with only the keys `keys` names (all of them when `keys` is null). */
function limitsWith(limits: LimitsMeta, keys: readonly LimitsKey[] | null | undefined): Partial<LimitsMeta> {
  if (!keys) return limits;
  const out: Partial<LimitsMeta> = {};
  for (const k of keys) out[k] = limits[k];
  return out;
}

const JSON_CONTENT = /^application\/json\s*(;\s*charset\s*=\s*"?utf-8"?\s*)?$/i;

export async function startSimulator(options: SimulatorOptions = {}): Promise<Simulator> {
  const accessToken = options.accessToken ?? 'test-token';
  const reports = options.reports ?? DEFAULT_REPORTS;
  const timezone = options.timezone ?? DEFAULT_TIMEZONE;
  const limits: RateLimits = { ...DEFAULT_LIMITS };
  for (const [k, v] of Object.entries(options.limits ?? {})) {
    if (typeof v === 'number') limits[k as keyof RateLimits] = v; // an explicit undefined keeps the default
  }
  const limiter = new Limiter(limits);
  const clock = options.now ?? Date.now;
  const gen = options.generator;
  const store = new CallStore(options.rows ?? (gen ? generateCalls(gen) : []), {
    jsonCache: options.jsonCache,
    repeat: repeatRule(options.faults?.repeatRows, options.faults?.repeatIds),
  });
  let faults: Faults = { ...options.faults };
  let mgfRequests = 0;
  let driftStream = 0;
  const show = (l: LimitsMeta): Partial<LimitsMeta> => limitsWith(l, faults.limitsKeys);

  const stats: SimulatorStats = {
    requests: 0,
    calls: {},
    successTimes: [],
    concurrent: 0,
    peakConcurrent: 0,
    errors: {},
  };
  const countError = (key: string): void => {
    stats.errors[key] = (stats.errors[key] ?? 0) + 1;
  };

  if (options.warmCache) store.warmFullJson();

  // Page buffers are reused once their answer is sent: a fresh 12 MB buffer per
  // page would make V8 run full GCs for the off-heap growth (see json.ts).
  const freeBuffers: Buffer[] = [];
  const takeBuffer = (size: number): Buffer | undefined => {
    const i = freeBuffers.findIndex((b) => b.length >= size);
    return i < 0 ? undefined : freeBuffers.splice(i, 1)[0];
  };
  const giveBack = (b: Buffer): void => {
    if (b.length < 1024 * 1024) return;
    freeBuffers.push(b);
    freeBuffers.sort((x, y) => y.length - x.length);
    if (freeBuffers.length > 4) freeBuffers.length = 4;
  };
  const fullWriter = rowWriter(FULL_FIELDS);

  /** The body of a `get.mgf_calls` answer. */
  function mgfBody(idJson: string, q: MgfQuery, limits: Partial<LimitsMeta>, short: boolean): Buffer {
    let sel: Selection = q.fields.length === 0 ? { lo: 0, hi: 0, positions: null } : store.select(q);
    if (faults.unstableOrder && sel.hi > sel.lo) sel = unstablePositions(store, sel, q.sort, mgfRequests);
    const total = sel.hi - sel.lo;
    const head = `{"jsonrpc":"2.0","id":${idJson},"result":{"data":[`;
    const tail = `],"metadata":{"total_items":${total},"limits":${JSON.stringify(limits)},"version":null}}}`;
    const start = sel.lo + q.offset;
    let end = Math.min(sel.hi, start + q.limit);
    if (short && end > start) end = start + ((end - start) >> 1);
    const rids: number[] = [];
    for (let p = start; p < end; p++)
      rids.push(store.ridAt(sel.positions ? (sel.positions[p] as number) : p));

    const full = q.fields.length === FULL_FIELDS.length && q.fields.every((f, i) => f === FULL_FIELDS[i]);
    const cache = full ? store.fullJson : null;
    let size = head.length * 3 + tail.length + rids.length;
    // Repeats (negative entries) are few and not cached: written like a projection.
    if (cache) for (const rid of rids) size += rid >= 0 ? cache.ensure(rid, store.row(rid)) : 2048;
    else size += rids.length * 48 * q.fields.length; // an estimate: the writer grows if needed
    const w = new JsonWriter(size, takeBuffer(size));
    w.raw(head);
    const write = full ? fullWriter : rowWriter(q.fields);
    for (let i = 0; i < rids.length; i++) {
      if (i > 0) w.byte(0x2c); // ','
      const rid = rids[i] as number;
      // Cached bytes of whole rows make a page of full rows a series of copies.
      if (cache && rid >= 0) cache.copyTo(rid, w);
      else write(w, store.row(rid));
    }
    w.raw(tail);
    return w.view();
  }

  function resultBody(idJson: string, data: unknown[], limits: Partial<LimitsMeta>): Buffer {
    return Buffer.from(
      `{"jsonrpc":"2.0","id":${idJson},"result":${JSON.stringify({
        data,
        metadata: { total_items: data.length, limits, version: null },
      })}}`,
    );
  }

  /** Runs one JSON-RPC call; returns the answer body or throws an ApiError. */
  function call(method: string, rawParams: unknown, idJson: string, flags: RequestFlags): Buffer {
    const known = method === 'get.mgf_calls' || method === 'get.reports_list' || method === 'get.account';
    if (!known)
      throw new ApiError('method_not_found', `Method "${method}" not found`, {
        field: 'method',
        value: method,
      });
    if (rawParams !== undefined && !isPlainObject(rawParams)) {
      throw new ApiError('invalid_request', '"params" must be an object');
    }
    const params = rawParams ?? {};
    if (faults.ipNotWhitelisted)
      throw new ApiError('ip_not_whitelisted', 'Your IP address is not in the allowed list');
    const token = params.access_token;
    if (token === undefined || token === null || token === '') {
      throw new ApiError('required_parameter_missed', 'Required parameter "access_token" is missed', {
        field: 'access_token',
      });
    }
    if (faults.badToken || token !== accessToken) {
      throw new ApiError('access_token_invalid', 'Access token is invalid', {
        field: 'access_token',
        value: null,
      });
    }
    const injected = faults.apiError;
    if (injected && (injected.every === undefined || flags.apiError)) {
      throw new ApiError(injected.mnemonic, injected.message ?? simulatedMessage(injected.mnemonic), {
        field: injected.field ?? null,
      });
    }
    if (method === 'get.mgf_calls' && faults.componentDisabled) {
      throw new ApiError(
        'method_component_disabled',
        'The component of method "get.mgf_calls" is disabled for the account',
      );
    }

    const now = clock();
    if (flags.rateLimit) {
      const limits = limiter.snapshot(now);
      throw limitError('minute', { ...limits, minute_reset: faults.rateLimitResetSeconds ?? 1 }, show);
    }
    if (faults.dayLimitExhausted) throw limitError('day', limiter.snapshot(now), show);
    const over = limiter.exceeded(now);
    if (over) throw limitError(over, limiter.snapshot(now), show);

    let build: (limits: Partial<LimitsMeta>) => Buffer;
    if (method === 'get.mgf_calls') {
      const q = parseMgfParams(params, reports);
      const rowsPerCall = faults.drift?.rowsPerCall ?? 0;
      if (rowsPerCall > 0) {
        store.add(
          generateExtraRows({
            count: Math.floor(rowsPerCall),
            startMs: q.fromMs,
            endMs: q.tillMs,
            firstId: store.maxId + 1,
            seed: gen?.seed ?? 1,
            stream: ++driftStream,
            employees: gen?.employees,
            lines: gen?.lines,
            variantRate: gen?.variantRate,
          }),
        );
      }
      build = (limits) => mgfBody(idJson, q, limits, flags.shortPage);
    } else if (method === 'get.reports_list') {
      checkUnexpected(params, LIST_PARAMS);
      build = (limits) =>
        resultBody(
          idJson,
          reports.map((r) => ({ ...r })),
          limits,
        );
    } else {
      checkUnexpected(params, ACCOUNT_PARAMS);
      build = (limits) => resultBody(idJson, [{ app_id: 1, name: 'Демо-аккаунт', timezone }], limits);
    }
    limiter.charge(now);
    stats.successTimes.push(now);
    return build(show(limiter.snapshot(now)));
  }

  function send(res: ServerResponse, status: number, type: string, body: Buffer | string): void {
    const buf = typeof body === 'string' ? Buffer.from(body) : body;
    res.writeHead(status, { 'Content-Type': type, 'Content-Length': buf.length });
    res.end(buf);
  }

  function sendError(res: ServerResponse, idJson: string, err: ApiError): void {
    countError(err.mnemonic);
    const status = faults.errorStatus ?? 200;
    send(res, status, JSON_TYPE, `{"jsonrpc":"2.0","id":${idJson},"error":${JSON.stringify(err)}}`);
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const body = await readBody(req);
    const path = (req.url ?? '/').split('?')[0]?.replace(/\/+$/, '');
    if (path !== '/v2.0') return send(res, 404, 'text/plain; charset=UTF-8', 'Not Found');
    if (req.method !== 'POST') return send(res, 405, 'text/plain; charset=UTF-8', 'Method Not Allowed');
    if (faults.failAlways500) {
      countError('http_500');
      return send(res, 500, 'text/plain; charset=UTF-8', 'Internal Server Error');
    }

    if (!JSON_CONTENT.test(req.headers['content-type'] ?? '')) {
      return sendError(
        res,
        'null',
        new ApiError('invalid_request', 'Content-Type must be "application/json; charset=UTF-8"'),
      );
    }
    let message: unknown;
    try {
      message = JSON.parse(body.toString('utf8'));
    } catch {
      return sendError(res, 'null', new ApiError('parse_error', 'Parse error: the body is not valid JSON'));
    }
    const idValue = isPlainObject(message) ? message.id : undefined;
    const idOk = typeof idValue === 'string' || typeof idValue === 'number' || idValue === null;
    const idJson = idOk ? JSON.stringify(idValue) : 'null';
    if (!isPlainObject(message) || message.jsonrpc !== '2.0' || typeof message.method !== 'string' || !idOk) {
      return sendError(
        res,
        idJson,
        new ApiError(
          'invalid_request',
          'Invalid request: a JSON-RPC 2.0 object with "id" and "method" is required',
        ),
      );
    }
    const method = message.method;
    stats.calls[method] = (stats.calls[method] ?? 0) + 1;

    const flags: RequestFlags = { rateLimit: false, apiError: false, shortPage: false };
    let truncate = false;
    let delay = 0;
    if (method === 'get.mgf_calls') {
      const n = ++mgfRequests;
      if (every(faults.resetEvery, n)) {
        countError('reset');
        res.destroy(); // the connection goes, no answer
        return;
      }
      if (every(faults.http500Every, n)) {
        countError('http_500');
        return send(res, 500, 'text/plain; charset=UTF-8', 'Internal Server Error');
      }
      if (every(faults.html502Every, n)) {
        countError('http_502');
        return send(res, 502, 'text/html', HTML_502);
      }
      flags.rateLimit = every(faults.rateLimitEvery, n);
      flags.apiError = every(faults.apiError?.every, n);
      flags.shortPage = every(faults.shortPageEvery, n);
      truncate = every(faults.truncateEvery, n);
      if ((faults.slowMs ?? 0) > 0 && every(faults.slowEvery ?? 1, n)) delay = faults.slowMs ?? 0;
    }

    let answer: Buffer | null = null;
    let error: ApiError | null = null;
    try {
      answer = call(method, message.params, idJson, flags);
    } catch (e) {
      if (!(e instanceof ApiError)) throw e;
      error = e;
    }
    if (delay > 0) await new Promise((r) => setTimeout(r, delay));
    if (error) return sendError(res, idJson, error);
    if (answer === null) throw new Error('no answer');
    const sent = answer;
    res.once('close', () => giveBack(Buffer.from(sent.buffer, 0, sent.buffer.byteLength)));
    if (truncate) {
      countError('truncated');
      return send(res, 200, JSON_TYPE, answer.subarray(0, answer.length >> 1));
    }
    send(res, 200, JSON_TYPE, answer);
  }

  const server: Server = createServer((req, res) => {
    stats.requests++;
    stats.concurrent++;
    if (stats.concurrent > stats.peakConcurrent) stats.peakConcurrent = stats.concurrent;
    res.on('close', () => {
      stats.concurrent--;
    });
    handle(req, res).catch((e: unknown) => {
      // A bug in the simulator: answer like a real server would, and say so.
      console.error('simulator: internal error', e);
      if (!res.headersSent) {
        const err = new ApiError('internal_error', 'Internal error');
        sendError(res, 'null', err);
      } else res.destroy();
    });
  });

  const host = options.host ?? '127.0.0.1';
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;
  const reportId = reports.find((r) => r.type === 'mgf_calls')?.id ?? 0;

  return {
    url: `http://${host.includes(':') ? `[${host}]` : host}:${port}/v2.0`,
    port,
    accessToken,
    reportId,
    stats,
    get rows() {
      return store.sortedRows();
    },
    get rowCount() {
      return store.size;
    },
    get repeatedRows() {
      return store.repeats;
    },
    get faults() {
      return faults;
    },
    setFaults(partial) {
      const next = { ...faults, ...partial };
      store.setRepeat(repeatRule(next.repeatRows, next.repeatIds));
      faults = next;
      mgfRequests = 0;
    },
    clearFaults() {
      store.setRepeat(null);
      faults = {};
      mgfRequests = 0;
    },
    addRows(rows) {
      store.add(rows);
    },
    resetStats() {
      // In place, so a reference to `stats` stays live; requests in flight stay counted.
      stats.requests = 0;
      stats.calls = {};
      stats.successTimes = [];
      stats.peakConcurrent = stats.concurrent;
      stats.errors = {};
    },
    close() {
      return new Promise<void>((resolve, reject) => {
        server.close((e) => (e ? reject(e) : resolve()));
        server.closeAllConnections();
      });
    },
  };
}
