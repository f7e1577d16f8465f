/**
 * JSON-RPC 2.0 transport for the Data API: one POST per call, a per-request
 * timeout, bounded retries with exponential backoff and full jitter under an
 * overall deadline, and a throttle that follows `metadata.limits` (throttle.ts).
 * Pages are read into reused buffers (body-pool.ts) and their rows may be
 * parsed a slice at a time (page-slices.ts).
 *
 * Retried (the reads are idempotent): network errors, timeouts, HTTP 5xx/429,
 * bodies that are not JSON (an HTML 502 page, a truncated reply), `internal_error`,
 * and `limit_exceeded` for the minute (after `minute_reset` seconds, which does not
 * use up the attempt budget but is bounded by the deadline and `maxRateLimitWaits`).
 * Everything else fails at once with the message of its mnemonic (errors.ts).
 *
 * The access token travels in the body (`params.access_token`) and nowhere else:
 * it is not in any error message or event. So redirects are never followed (a
 * 307/308 would carry the body, and the key, to wherever it points): a 3xx
 * fails at once naming the host it pointed to. No answer is read past
 * MAX_BODY_BYTES (body-pool.ts), whatever its Content-Length announces.
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
} from '../errors.ts';
import { BodyPool, BodyTooLargeError, decodeUtf8, MAX_BODY_BYTES, readCapped } from './body-pool.ts';
import { type LazyData, splitData } from './page-slices.ts';
import { type RateGate, sleep, Throttle } from './throttle.ts';

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
  /** The most one answer may be, bytes (default MAX_BODY_BYTES; lowered in tests). */
  maxBodyBytes?: number;
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

export class RpcTransport {
  private readonly url: string;
  private readonly accessToken: string;
  private readonly timeoutMs: number;
  private readonly retry: RetryPolicy;
  private readonly onEvent: (event: RpcEvent) => void;
  private readonly fetchFn: typeof fetch;
  private readonly random: () => number;
  private readonly gate: RateGate | undefined;
  private readonly maxBodyBytes: number;
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
    this.maxBodyBytes = opts.maxBodyBytes ?? MAX_BODY_BYTES;
    this.bodies = new BodyPool(opts.pagesHeld ?? 2, this.maxBodyBytes);
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
      let status = 0;
      let text = '';
      let lazy: LazyData | null = null;
      try {
        const res = await this.fetchFn(this.url, {
          method: 'POST',
          headers: { 'Content-Type': 'application/json; charset=UTF-8', Accept: 'application/json' },
          body,
          signal,
          redirect: 'manual',
        });
        status = res.status;
        if (status >= 300 && status < 400) {
          await res.body?.cancel().catch(() => {});
          throw new DataApiRequestError(
            `Data API ${method}: HTTP ${status} redirects to ${redirectHost(res, this.url)}; redirects are not followed, since the key travels in the body: set MGF_API_URL to the API's own address (https://…/v2.0)`,
            { mnemonic: 'redirect_refused' },
          );
        }
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
          text = decodeUtf8(await readCapped(res, this.maxBodyBytes));
        }
      } catch (err) {
        if (err instanceof DataApiRequestError) throw err;
        if (err instanceof BodyTooLargeError) {
          throw new DataApiRequestError(`Data API ${method}: HTTP ${status}: ${err.message}`, {
            mnemonic: 'bad_response',
          });
        }
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

/** Where a redirect pointed: its host only (a Location may carry anything), or that it named none. */
function redirectHost(res: Response, base: string): string {
  const location = res.headers.get('location');
  if (!location) return 'no address';
  try {
    return new URL(location, base).host || 'an address without a host';
  } catch {
    return 'an address that is not a URL';
  }
}

function describeNetworkError(err: unknown): string {
  if (err instanceof Error) {
    const cause = (err as { cause?: { code?: string; message?: string } }).cause;
    return cause?.code ?? cause?.message ?? err.message;
  }
  return String(err);
}
