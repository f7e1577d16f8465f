/**
 * JSON-RPC 2.0 transport for the Data API: one POST per call, a per-request
 * timeout, bounded retries with exponential backoff and full jitter under an
 * overall deadline, and a throttle that follows `metadata.limits`.
 *
 * Retried (the reads are idempotent): network errors, timeouts, HTTP 5xx/429,
 * bodies that are not JSON (an HTML 502 page, a truncated reply), `internal_error`,
 * and `limit_exceeded` for the minute (after `minute_reset` seconds, which does not
 * use up the attempt budget but is bounded by the deadline and `maxRateLimitWaits`).
 * Everything else fails at once with the message of its mnemonic (errors.ts).
 *
 * The access token travels in the body (`params.access_token`) and nowhere else:
 * it is not in any error message or event.
 */
import {
  type ApiLimits,
  DataApiDeadlineError,
  DataApiError,
  DataApiLimitError,
  DataApiRequestError,
  DataApiTransientError,
  errorFromRpc,
  type RpcErrorBody,
} from './errors.ts';

export interface RetryPolicy {
  /** Attempts per request for transient failures (default 6). */
  maxAttempts: number;
  /** First backoff step, ms (default 500); doubles each attempt, with full jitter. */
  baseDelayMs: number;
  /** Largest backoff step, ms (default 20 000). */
  maxDelayMs: number;
  /** How many minute-limit waits one request may do (default 10). */
  maxRateLimitWaits: number;
}

export const DEFAULT_RETRY: Readonly<RetryPolicy> = Object.freeze({
  maxAttempts: 6,
  baseDelayMs: 500,
  maxDelayMs: 20_000,
  maxRateLimitWaits: 10,
});

/** What the transport reports about itself (for logs and progress). Never contains the token. */
export type RpcEvent =
  | { type: 'retry'; method: string; attempt: number; delayMs: number; reason: string }
  | { type: 'rate_limited'; method: string; waitMs: number }
  | { type: 'throttled'; method: string; waitMs: number };

/**
 * A gate shared by every client of one Data API account (across Lambda
 * invocations): each request first takes a slot, so together they never call
 * faster than the account's limit. See delivery/dynamo-rate-gate.ts.
 */
export interface RateGate {
  /** Resolves when this request may go; rejects when `signal` aborts first. */
  take(signal?: AbortSignal): Promise<void>;
}

export interface RpcTransportOptions {
  /** Base URL, e.g. https://dataapi.uiscom.ru/v2.0 */
  url: string;
  accessToken: string;
  /** Per-request timeout, ms (default 60 000). */
  requestTimeoutMs?: number;
  retry?: Partial<RetryPolicy>;
  onEvent?: (event: RpcEvent) => void;
  /** Injected for tests; defaults to the global fetch. */
  fetch?: typeof fetch;
  /** Injected for tests; defaults to Math.random. */
  random?: () => number;
  /** Slots shared with other clients of the same account (none by default). */
  gate?: RateGate;
  /**
   * Answers (pages, ~13 MB each) read and kept in memory at once (default 2):
   * requests beyond it may be in flight, their answers wait unread.
   */
  pagesHeld?: number;
}

export interface RpcResult<T> {
  result: T;
  limits: ApiLimits | undefined;
  /** Given a parse gate: lets the next answer be parsed (call it once done with this one). */
  release: () => void;
  /**
   * With `lazyData`, when the body allowed it: `result.data` is left empty and
   * its rows come from here, parsed a slice (~32 KB of JSON) at a time.
   */
  dataSlices?: () => Generator<unknown[]>;
}

/**
 * Lets one answer at a time be decoded and parsed: answers still coming in
 * wait as bytes (~1.3 KB a call row), not as a decoded string (twice that, as
 * UTF-16) plus parsed objects (~1.5 KB a row). Resolves with the release.
 */
export type ParseGate = () => Promise<() => void>;

const NOTHING_TO_RELEASE = (): void => {};

/** Sleeps `ms`, or rejects as soon as `signal` aborts. */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) {
      reject(signal.reason);
      return;
    }
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal?.reason);
    };
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

/**
 * Keeps requests under the per-minute limit the API reports. Every answer's
 * `metadata.limits` tells how many calls are left (`minute_remaining`) and when
 * the window resets (`minute_reset`, seconds); once the calls in flight would use
 * up what is left, new requests wait for the reset. A `limit_exceeded` pauses
 * everyone until the reset it names.
 */
export class Throttle {
  private pausedUntil = 0;
  private remaining: number | undefined;
  private resetAt = 0;
  private inFlight = 0;
  private readonly now: () => number;

  constructor(now: () => number = Date.now) {
    this.now = now;
  }

  /** How long a new request must wait now, ms (0 when it may go). */
  waitMs(): number {
    const now = this.now();
    if (now < this.pausedUntil) return this.pausedUntil - now;
    if (this.remaining !== undefined) {
      if (now >= this.resetAt) {
        this.remaining = undefined; // the window has reset; the next answer tells the new state
      } else if (this.remaining - this.inFlight <= 0) {
        return this.resetAt - now;
      }
    }
    return 0;
  }

  start(): void {
    this.inFlight++;
  }

  finish(limits: ApiLimits | undefined): void {
    this.inFlight--;
    if (limits && typeof limits.minute_remaining === 'number') {
      this.remaining = limits.minute_remaining;
      const reset = typeof limits.minute_reset === 'number' ? limits.minute_reset : 60;
      this.resetAt = this.now() + reset * 1000;
    }
  }

  /** Everyone waits `seconds` (after a `limit_exceeded`). */
  pause(seconds: number): void {
    this.pausedUntil = Math.max(this.pausedUntil, this.now() + seconds * 1000);
  }
}

export class RpcTransport {
  private readonly url: string;
  private readonly accessToken: string;
  private readonly timeoutMs: number;
  private readonly retry: RetryPolicy;
  private readonly onEvent: (event: RpcEvent) => void;
  private readonly fetchFn: typeof fetch;
  private readonly random: () => number;
  private readonly gate: RateGate | undefined;
  private nextId = 1;
  readonly throttle = new Throttle();
  /** Buffers that gated answers (pages) are read into, reused from page to page. */
  private readonly bodies: BodyPool;
  /** Requests sent, including retries (for stats). */
  requests = 0;

  constructor(opts: RpcTransportOptions) {
    if (!opts.accessToken)
      throw new DataApiRequestError('No Data API access token: set MGF_ACCESS_TOKEN', {
        mnemonic: 'required_parameter_missed',
        field: 'access_token',
      });
    this.url = opts.url;
    this.accessToken = opts.accessToken;
    this.timeoutMs = opts.requestTimeoutMs ?? 60_000;
    this.retry = { ...DEFAULT_RETRY, ...opts.retry };
    this.onEvent = opts.onEvent ?? (() => {});
    this.fetchFn = opts.fetch ?? fetch;
    this.random = opts.random ?? Math.random;
    this.gate = opts.gate;
    this.bodies = new BodyPool(opts.pagesHeld ?? 2);
  }

  /**
   * Calls `method` with `params` (the token is added here) and returns `result`.
   * `signal` is the caller's overall deadline: when it aborts, the call ends with
   * `DataApiDeadlineError` carrying the last failure.
   */
  async call<T>(
    method: string,
    params: Record<string, unknown>,
    signal?: AbortSignal,
    parseGate?: ParseGate,
    lazyData = false,
  ): Promise<RpcResult<T>> {
    let attempt = 0;
    let rateWaits = 0;
    let lastError: DataApiError | undefined;
    const body = JSON.stringify({
      jsonrpc: '2.0',
      id: this.nextId++,
      method,
      params: { access_token: this.accessToken, ...params },
    });
    for (;;) {
      try {
        for (let wait = this.throttle.waitMs(); wait > 0; wait = this.throttle.waitMs()) {
          this.onEvent({ type: 'throttled', method, waitMs: wait });
          await sleep(wait, signal);
        }
        await this.gate?.take(signal);
        return await this.once<T>(method, body, signal, parseGate, lazyData);
      } catch (err) {
        if (signal?.aborted) throw this.deadline(method, lastError ?? toDataApiError(err));
        const error = toDataApiError(err);
        lastError = error;
        if (error instanceof DataApiLimitError && error.scope === 'minute') {
          rateWaits++;
          if (rateWaits > this.retry.maxRateLimitWaits) {
            throw new DataApiDeadlineError(
              `Data API ${method}: still rate-limited after ${this.retry.maxRateLimitWaits} waits for the per-minute limit; lower the concurrency or run later`,
              { mnemonic: 'deadline_exceeded', cause: error },
            );
          }
          const waitMs = error.resetSeconds * 1000 + Math.floor(this.random() * 250);
          this.throttle.pause(waitMs / 1000);
          this.onEvent({ type: 'rate_limited', method, waitMs });
          continue; // the throttle wait above does the sleeping
        }
        if (!error.retryable) throw error;
        attempt++;
        if (attempt >= this.retry.maxAttempts) {
          throw new DataApiDeadlineError(
            `Data API ${method}: gave up after ${attempt} attempts; last error: ${error.message}`,
            { mnemonic: 'deadline_exceeded', cause: error },
          );
        }
        const cap = Math.min(this.retry.maxDelayMs, this.retry.baseDelayMs * 2 ** (attempt - 1));
        const delayMs = Math.floor(this.random() * cap);
        this.onEvent({ type: 'retry', method, attempt, delayMs, reason: error.mnemonic });
        try {
          await sleep(delayMs, signal);
        } catch {
          throw this.deadline(method, error);
        }
      }
    }
  }

  /** Lets go of the buffers kept for reading pages (call when a fetch is over). */
  releaseBuffers(): void {
    this.bodies.clear();
  }

  private deadline(method: string, last: DataApiError): DataApiDeadlineError {
    return new DataApiDeadlineError(
      `Data API ${method}: the time budget ran out; last error: ${last.message}`,
      {
        mnemonic: 'deadline_exceeded',
        cause: last,
      },
    );
  }

  private async once<T>(
    method: string,
    body: string,
    outer?: AbortSignal,
    parseGate?: ParseGate,
    lazyData = false,
  ): Promise<RpcResult<T>> {
    const timeout = AbortSignal.timeout(this.timeoutMs);
    const signal = outer ? AbortSignal.any([outer, timeout]) : timeout;
    this.throttle.start();
    this.requests++;
    let limits: ApiLimits | undefined;
    let release = NOTHING_TO_RELEASE;
    try {
      let status: number;
      let text = '';
      let lazy: LazyData | null = null;
      try {
        const res = await this.fetchFn(this.url, {
          method: 'POST',
          headers: { 'Content-Type': 'application/json; charset=UTF-8', Accept: 'application/json' },
          body,
          signal,
        });
        status = res.status;
        if (parseGate) {
          const body = await this.bodies.read(res);
          try {
            const open = await parseGate();
            release = () => {
              body.done();
              open();
            };
          } catch (e) {
            body.done();
            throw e;
          }
          lazy = lazyData && status < 300 ? splitData(body.bytes) : null;
          if (lazy === null) text = decodeUtf8(body.bytes);
        } else {
          text = await res.text();
        }
      } catch (err) {
        if (timeout.aborted && !outer?.aborted) {
          throw new DataApiTransientError(`Data API ${method}: no answer within ${this.timeoutMs} ms`, {
            mnemonic: 'timeout',
            retryable: true,
          });
        }
        if (outer?.aborted) throw err;
        throw new DataApiTransientError(`Data API ${method}: network error: ${describeNetworkError(err)}`, {
          mnemonic: 'network_error',
          retryable: true,
          cause: err,
        });
      }
      let parsed: unknown;
      try {
        parsed = lazy ? lazy.envelope : JSON.parse(text);
      } catch {
        const retryable = status >= 500 || status === 429 || status < 300;
        const kind = /^\s*</.test(text)
          ? 'an HTML page'
          : status < 300
            ? 'truncated or malformed JSON'
            : 'a non-JSON body';
        throw new (retryable ? DataApiTransientError : DataApiRequestError)(
          `Data API ${method}: HTTP ${status} with ${kind}`,
          { mnemonic: status < 300 ? 'bad_response' : 'http_error', retryable },
        );
      }
      const msg = parsed as { result?: unknown; error?: RpcErrorBody };
      if (msg && typeof msg === 'object' && msg.error && typeof msg.error === 'object') {
        throw errorFromRpc(method, msg.error);
      }
      if (status >= 300) {
        throw new (status >= 500 || status === 429 ? DataApiTransientError : DataApiRequestError)(
          `Data API ${method}: HTTP ${status}`,
          { mnemonic: 'http_error', retryable: status >= 500 || status === 429 },
        );
      }
      if (!msg || typeof msg !== 'object' || !msg.result || typeof msg.result !== 'object') {
        throw new DataApiTransientError(`Data API ${method}: the answer has neither "result" nor "error"`, {
          mnemonic: 'bad_response',
          retryable: true,
        });
      }
      limits = (msg.result as { metadata?: { limits?: ApiLimits } }).metadata?.limits ?? undefined;
      const result: RpcResult<T> = { result: msg.result as T, limits, release };
      if (lazy) result.dataSlices = lazy.slices;
      release = NOTHING_TO_RELEASE; // the caller's now
      return result;
    } finally {
      release();
      this.throttle.finish(limits);
    }
  }
}

/**
 * Buffers for answer bodies, reused: a page is ~13 MB, and reading each into a
 * buffer of its own exact size (what `Response.arrayBuffer()` does, after
 * gathering the chunks) leaves the allocator with a heap of freed blocks of
 * odd sizes that the process keeps (~100 MB of RSS over a year's fetch).
 * A body is read into the smallest free buffer that holds its Content-Length;
 * a body without one (or compressed, or longer than announced) is read as usual.
 *
 * At most `held` bodies are read and kept at a time (until their page is done
 * with): more requests may be in flight, their answers wait unread in the
 * connection. Pages are parsed one at a time anyway, so on a fast connection
 * more held bodies only cost memory (~13 MB each).
 */
class BodyPool {
  private free: Buffer[] = [];
  private readonly held: number;
  private holding = 0;
  private readonly waiting: (() => void)[] = [];

  constructor(held: number) {
    this.held = Math.max(1, Math.floor(held));
  }

  private async hold(): Promise<() => void> {
    if (this.holding >= this.held) await new Promise<void>((resolve) => this.waiting.push(resolve));
    else this.holding++;
    let gone = false;
    return () => {
      if (gone) return;
      gone = true;
      const next = this.waiting.shift();
      if (next)
        next(); // the place passes on
      else this.holding--;
    };
  }

  async read(res: Response): Promise<{ bytes: Buffer; done: () => void }> {
    const letGo = await this.hold();
    try {
      const body = await this.readHeld(res);
      return {
        bytes: body.bytes,
        done: () => {
          body.done();
          letGo();
        },
      };
    } catch (e) {
      letGo();
      throw e;
    }
  }

  private async readHeld(res: Response): Promise<{ bytes: Buffer; done: () => void }> {
    const length = Number(res.headers.get('content-length'));
    const encoded = (res.headers.get('content-encoding') ?? 'identity') !== 'identity';
    if (!res.body || encoded || !Number.isSafeInteger(length) || length < 64 * 1024) {
      return { bytes: Buffer.from(await res.arrayBuffer()), done: () => {} };
    }
    let buffer = this.take(length);
    let at = 0;
    try {
      for await (const chunk of res.body) {
        if (at + chunk.length > buffer.length) {
          // Longer than announced: carry on in a bigger buffer of its own.
          const bigger = Buffer.allocUnsafeSlow(Math.max(buffer.length * 2, at + chunk.length));
          buffer.copy(bigger, 0, 0, at);
          this.give(buffer);
          buffer = bigger;
        }
        buffer.set(chunk, at);
        at += chunk.length;
      }
    } catch (e) {
      this.give(buffer);
      throw e;
    }
    const owned = buffer;
    let given = false;
    return {
      bytes: owned.subarray(0, at),
      done: () => {
        if (!given) this.give(owned);
        given = true;
      },
    };
  }

  private take(length: number): Buffer {
    let best = -1;
    for (let i = 0; i < this.free.length; i++) {
      const b = this.free[i] as Buffer;
      if (b.length >= length && (best < 0 || b.length < (this.free[best] as Buffer).length)) best = i;
    }
    if (best >= 0) return this.free.splice(best, 1)[0] as Buffer;
    // Rounded up to a whole MB, so that pages of slightly different sizes share buffers.
    return Buffer.allocUnsafeSlow(Math.ceil(length / 1048576) * 1048576);
  }

  private give(b: Buffer): void {
    if (this.free.length < this.held) this.free.push(b);
  }

  clear(): void {
    this.free = [];
  }
}

/** Bytes of a UTF-8 byte order mark at the start of `b` (0 or 3). */
function bomLength(b: Buffer): number {
  return b.length >= 3 && b[0] === 0xef && b[1] === 0xbb && b[2] === 0xbf ? 3 : 0;
}

/** The body as text, as `Response.text()` reads it: UTF-8, a leading byte order mark dropped. */
function decodeUtf8(b: Buffer): string {
  return b.toString('utf8', bomLength(b));
}

// ---------------------------------------------------------------------------
// A page of rows, parsed a slice at a time.
//
// A page of 10 000 call rows is ~13 MB of UTF-8; as one string it is ~24 MB
// (UTF-16: the labels are Cyrillic) and parsed ~15 MB more, all alive at once,
// and most of it promoted to the old generation before it dies. Cutting the
// `data` array into slices of ~32 KB (about 25 rows) and parsing one slice at
// a time keeps only the bytes and one small slice alive, which dies young: a
// year's fetch runs ~30 % faster and ~150 MB smaller.
//
// The cuts are found by a byte search for `},{` (a JSON scanner in JavaScript
// would be slower than parsing): a cut that falls inside a row (in a string,
// or between the objects of a nested list) leaves that slice unbalanced, which
// fails to parse, and the slice is then extended to the next cut. The envelope
// (everything but the rows) is parsed on its own, so a body that is not whole
// JSON is found at once, as before, and a body of another shape is parsed whole.

interface LazyData {
  /** The body with `result.data` empty. */
  envelope: unknown;
  slices: () => Generator<unknown[]>;
}

const DATA_KEY = Buffer.from('"data":');
const ROW_GAP = Buffer.from('},{');
/** Bytes of rows parsed at a time. */
const SLICE_BYTES = 1 << 15;
/** `]` tried from the end as the close of the `data` array. */
const CLOSE_TRIES = 8;

function isBlank(c: number | undefined): boolean {
  return c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09;
}

/** Splits a body into its envelope and its `data` rows, or null when it is not of that shape. */
function splitData(body: Buffer): LazyData | null {
  const from = bomLength(body);
  const key = body.indexOf(DATA_KEY, from);
  if (key < 0) return null;
  let open = key + DATA_KEY.length;
  while (isBlank(body[open])) open++;
  if (body[open] !== 0x5b) return null;
  const head = body.toString('utf8', from, open + 1);
  let close = body.length;
  for (let tries = 0; tries < CLOSE_TRIES; tries++) {
    close = body.lastIndexOf(0x5d, close - 1);
    if (close <= open) return null;
    let envelope: unknown;
    try {
      envelope = JSON.parse(head + body.toString('utf8', close));
    } catch {
      continue;
    }
    const data = (envelope as { result?: { data?: unknown } } | null)?.result?.data;
    if (!Array.isArray(data) || data.length !== 0) return null;
    const end = close;
    return { envelope, slices: () => dataSlices(body, open + 1, end) };
  }
  return null;
}

/** The next cut after `from` (the end of a row, exclusive), or `end`. */
function nextCut(body: Buffer, from: number, end: number): number {
  const gap = body.indexOf(ROW_GAP, from);
  return gap >= 0 && gap < end ? gap + 1 : end;
}

/** The rows of `body[start..end)` (the inside of the data array), a slice at a time. */
function* dataSlices(body: Buffer, start: number, end: number): Generator<unknown[]> {
  let at = start;
  while (at < end) {
    let cut = end - at > SLICE_BYTES ? nextCut(body, at + SLICE_BYTES, end) : end;
    let rows: unknown;
    for (;;) {
      try {
        rows = JSON.parse(`[${body.toString('utf8', at, cut)}]`);
        break;
      } catch {
        if (cut >= end) {
          throw new DataApiTransientError('Data API: the rows of a page are not valid JSON', {
            mnemonic: 'bad_response',
            retryable: true,
          });
        }
        cut = nextCut(body, cut + 1, end); // the cut was inside a string: take the next one
      }
    }
    yield rows as unknown[];
    at = cut + 1; // past the comma
    while (at < end && isBlank(body[at])) at++;
  }
}

function toDataApiError(err: unknown): DataApiError {
  if (err instanceof DataApiError) return err;
  return new DataApiTransientError(
    `unexpected failure: ${err instanceof Error ? err.message : String(err)}`,
    {
      mnemonic: 'network_error',
      retryable: true,
      cause: err,
    },
  );
}

function describeNetworkError(err: unknown): string {
  if (err instanceof Error) {
    const cause = (err as { cause?: { code?: string; message?: string } }).cause;
    return cause?.code ?? cause?.message ?? err.message;
  }
  return String(err);
}
