/**
 * One error family for the Data API, keyed by the JSON-RPC `error.data.mnemonic`
 * (codes are shared by many errors; see docs/data-api.md). Every message says what
 * happened and what to do about it, and never carries the access token.
 */

export interface RpcErrorBody {
  code?: number;
  message?: string;
  data?: {
    mnemonic?: string;
    field?: string | null;
    value?: unknown;
    params?: unknown;
    extended_helper?: string | null;
    metadata?: { limits?: ApiLimits | null } | null;
  } | null;
}

export interface ApiLimits {
  day_limit?: number;
  day_remaining?: number;
  day_reset?: number;
  minute_limit?: number;
  minute_remaining?: number;
  minute_reset?: number;
}

export class DataApiError extends Error {
  /** `error.data.mnemonic`, or a local one: `network_error`, `timeout`, `http_error`, `bad_response`, `deadline_exceeded`, `inconsistent_pages`, `invalid_filter`, `report_not_found`. */
  readonly mnemonic: string;
  /** JSON-RPC error code, when the API sent one. */
  readonly code: number | null;
  /** Whether the same request can succeed later. */
  readonly retryable: boolean;
  /** The parameter the API blamed, when it named one. */
  readonly field: string | null;

  constructor(
    message: string,
    opts: {
      mnemonic: string;
      code?: number | null;
      retryable?: boolean;
      field?: string | null;
      cause?: unknown;
    },
  ) {
    super(message, opts.cause === undefined ? undefined : { cause: opts.cause });
    this.name = new.target.name;
    this.mnemonic = opts.mnemonic;
    this.code = opts.code ?? null;
    this.retryable = opts.retryable ?? false;
    this.field = opts.field ?? null;
  }
}

/** Network failures, timeouts, HTTP 5xx, non-JSON or truncated bodies, `internal_error`: worth another try. */
export class DataApiTransientError extends DataApiError {}

/** `limit_exceeded`. A minute limit is retryable after `resetSeconds`; a day limit is not. */
export class DataApiLimitError extends DataApiError {
  readonly scope: 'minute' | 'day';
  readonly resetSeconds: number;
  constructor(
    message: string,
    opts: { scope: 'minute' | 'day'; resetSeconds: number; code?: number | null },
  ) {
    super(message, {
      mnemonic: 'limit_exceeded',
      code: opts.code ?? -32029,
      retryable: opts.scope === 'minute',
    });
    this.scope = opts.scope;
    this.resetSeconds = opts.resetSeconds;
  }
}

/** The token is invalid, expired or blocked. */
export class DataApiAuthError extends DataApiError {}

/** The account or key may not do this: IP allow-list, disabled component, inactive account, forbidden. */
export class DataApiAccessError extends DataApiError {}

/** The request itself is wrong: a parameter, the filter, the sort, the date range, the method. */
export class DataApiRequestError extends DataApiError {}

/** The retry budget or the overall deadline ran out; `cause` is the last failure. */
export class DataApiDeadlineError extends DataApiError {}

/** Pages of one query contradict each other and re-reading did not settle it. */
export class DataApiConsistencyError extends DataApiError {}

const ADVICE: Record<string, string> = {
  access_token_invalid:
    'the access token is not valid for this API host: check MGF_ACCESS_TOKEN and that MGF_API_URL is the host of your brand (uiscom / comagic / callgear)',
  access_token_expired: 'the access token has expired: create a new key in the account (Settings → API keys)',
  access_token_blocked: 'the access token is blocked: unblock it or create a new key in the account',
  auth_error: 'authentication failed: check MGF_ACCESS_TOKEN',
  ip_not_whitelisted:
    "this machine's IP address is not on the key's allow-list: add it in the account under Settings → API keys (Data API) → allowed IP addresses",
  forbidden: 'the key is not allowed to read this data: give the key access to call reports in the account',
  method_component_disabled:
    'the Data API component is not enabled for this account: enable "Data API" in the account\'s components (or ask the provider)',
  parameter_component_disabled:
    'a requested column needs a component the account does not have: enable it or leave that column out',
  account_inactive: 'the account is inactive: it must be active (paid) to use the Data API',
  limit_exceeded: 'the API request limit was reached',
  method_not_found: 'the API does not know this method: check MGF_API_URL points to Data API v2.0',
  date_interval_limit_reached: 'the date range is too long: at most 366 days per query',
  sort_prohibited: 'the API refuses to sort by this column',
  filter_prohibited: 'the API refuses this filter (at most 2 levels of nesting; only filterable columns)',
};

const AUTH = new Set(['access_token_invalid', 'access_token_expired', 'access_token_blocked', 'auth_error']);
const ACCESS = new Set([
  'ip_not_whitelisted',
  'forbidden',
  'method_component_disabled',
  'parameter_component_disabled',
  'account_inactive',
]);

/** Turns a JSON-RPC `error` member into the matching error class. */
export function errorFromRpc(method: string, body: RpcErrorBody): DataApiError {
  const mnemonic = body.data?.mnemonic ?? mnemonicFromCode(body.code);
  const code = typeof body.code === 'number' ? body.code : null;
  const field = typeof body.data?.field === 'string' ? body.data.field : null;
  const apiText = (body.message ?? '').slice(0, 300);
  const advice = ADVICE[mnemonic];
  const where = field ? ` (parameter "${field}")` : '';
  const text = `Data API ${method} failed: ${mnemonic}${where}${advice ? ` — ${advice}` : ''}${apiText ? `. API said: ${apiText}` : ''}`;

  if (mnemonic === 'limit_exceeded') {
    const limits = body.data?.metadata?.limits ?? undefined;
    const dayOver = limits?.day_remaining === 0 || /day|сут|дне/i.test(apiText);
    if (dayOver) {
      const reset = limits?.day_reset;
      return new DataApiLimitError(
        `Data API ${method}: the daily request limit of the account is used up${reset ? `; it resets in ${Math.ceil(reset / 3600)} h` : ''}. Try later or ask the provider for a higher limit.`,
        { scope: 'day', resetSeconds: reset ?? 86_400, code },
      );
    }
    const reset = limits?.minute_reset;
    return new DataApiLimitError(`Data API ${method}: the per-minute request limit was reached`, {
      scope: 'minute',
      resetSeconds: typeof reset === 'number' && reset >= 0 ? reset : 60,
      code,
    });
  }
  if (mnemonic === 'internal_error') {
    return new DataApiTransientError(text, { mnemonic, code, retryable: true, field });
  }
  if (AUTH.has(mnemonic)) return new DataApiAuthError(text, { mnemonic, code, field });
  if (ACCESS.has(mnemonic)) return new DataApiAccessError(text, { mnemonic, code, field });
  return new DataApiRequestError(text, { mnemonic, code, field });
}

function mnemonicFromCode(code: number | undefined): string {
  switch (code) {
    case -32029:
      return 'limit_exceeded';
    case -32603:
      return 'internal_error';
    case -32001:
      return 'auth_error';
    case -32003:
      return 'forbidden';
    case -32008:
      return 'method_component_disabled';
    case -32009:
      return 'account_inactive';
    case -32601:
      return 'method_not_found';
    case -32700:
      return 'parse_error';
    case -32600:
      return 'invalid_request';
    default:
      return 'error';
  }
}
