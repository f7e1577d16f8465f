/**
 * A failed report's kind (pipeline/failure.ts), derived from the error the run
 * threw: each kind from a real error of our own classes, made where possible
 * by the code that makes it in a run (the Data API transport on a scripted
 * fetch, errorFromRpc on the API's error bodies), never from its English text;
 * and a stored job without a kind reads as internal.
 */
import { describe, expect, it } from 'vitest';
import { DataApiClient } from '../../functions/shared/dataapi/client.ts';
import { DataApiConsistencyError, errorFromRpc } from '../../functions/shared/dataapi/errors.ts';
import { validateFilter } from '../../functions/shared/dataapi/filter.ts';
import { RpcTransport } from '../../functions/shared/dataapi/rpc/transport.ts';
import { ClaimLostError } from '../../functions/shared/pipeline/claim.ts';
import {
  classifyFailure,
  type FailureKind,
  failureFields,
  failureOf,
} from '../../functions/shared/pipeline/failure.ts';
import type { Manifest } from '../../functions/shared/pipeline/manifest.ts';
import { EmailFailedError } from '../../functions/shared/pipeline/send.ts';
import { TelegramFailedError } from '../../functions/shared/pipeline/telegram.ts';

const NOW = Date.UTC(2026, 11, 1, 9, 30);
const URL = 'https://dataapi.example.test/v2.0';

/** A fetch that answers every request with `answer()` (a JSON-RPC body and status), or throws it. */
function scripted(answer: () => { status?: number; body: unknown } | Error): typeof fetch {
  return (async () => {
    const a = answer();
    if (a instanceof Error) throw a;
    return new Response(JSON.stringify(a.body), {
      status: a.status ?? 200,
      headers: { 'Content-Type': 'application/json' },
    });
  }) as typeof fetch;
}

const rpcError = (error: Record<string, unknown>) => ({ body: { jsonrpc: '2.0', id: 1, error } });

/** What one call of the real transport throws on the scripted fetch. */
async function thrownBy(
  answer: () => { status?: number; body: unknown } | Error,
  retry: { maxAttempts?: number; maxRateLimitWaits?: number } = {},
): Promise<unknown> {
  const t = new RpcTransport({ url: URL, accessToken: 'k', fetch: scripted(answer), retry });
  return t.call('get.mgf_calls', {}).then(
    () => expect.unreachable('the call succeeded'),
    (err: unknown) => err,
  );
}

const kindOf = (err: unknown): FailureKind => classifyFailure(err, NOW).kind;

const manifest = {
  period: { from: '2026-11-01', till: '2026-11-30', timezone: 'Europe/Moscow' },
} as Manifest;

describe('the kind of a failure', () => {
  it('data_api_auth: a wrong, expired or missing key, an address not allowed, a disabled component', async () => {
    for (const mnemonic of ['access_token_invalid', 'access_token_expired', 'ip_not_whitelisted']) {
      expect(
        kindOf(await thrownBy(() => rpcError({ code: -32001, message: 'no', data: { mnemonic } }))),
      ).toBe('data_api_auth');
    }
    expect(kindOf(errorFromRpc('get.mgf_calls', { code: -32008 }))).toBe('data_api_auth'); // component disabled
    let missing: unknown;
    try {
      new RpcTransport({ url: URL, accessToken: '' });
    } catch (err) {
      missing = err;
    }
    expect(kindOf(missing)).toBe('data_api_auth');
  });

  it('data_api_limit: the day quota, with when it resets', async () => {
    const err = await thrownBy(() =>
      rpcError({
        code: -32029,
        message: 'Limit exceeded',
        data: { mnemonic: 'limit_exceeded', metadata: { limits: { day_remaining: 0, day_reset: 7200 } } },
      }),
    );
    expect(classifyFailure(err, NOW)).toEqual({ kind: 'data_api_limit', retryAt: NOW + 7_200_000 });
  });

  it('data_api_limit: still rate-limited by the minute after every wait', async () => {
    const err = await thrownBy(
      () =>
        rpcError({
          code: -32029,
          message: 'Limit exceeded',
          data: {
            mnemonic: 'limit_exceeded',
            metadata: { limits: { minute_remaining: 0, minute_reset: 20 } },
          },
        }),
      { maxRateLimitWaits: 0 },
    );
    expect((err as Error).name).toBe('DataApiDeadlineError');
    expect(classifyFailure(err, NOW)).toEqual({ kind: 'data_api_limit', retryAt: NOW + 20_000 });
  });

  it('data_api_unavailable: HTTP 5xx, dropped connections or internal_error through every retry; pages that never agree', async () => {
    const down = await thrownBy(() => ({ status: 503, body: {} }), { maxAttempts: 1 });
    expect((down as Error).name).toBe('DataApiDeadlineError');
    expect(kindOf(down)).toBe('data_api_unavailable');
    expect(kindOf(await thrownBy(() => new TypeError('fetch failed'), { maxAttempts: 1 }))).toBe(
      'data_api_unavailable',
    );
    expect(
      kindOf(await thrownBy(() => rpcError({ code: -32603, message: 'Internal error' }), { maxAttempts: 1 })),
    ).toBe('data_api_unavailable');
    const pages = new DataApiConsistencyError('pages contradict', { mnemonic: 'inconsistent_pages' });
    expect(kindOf(pages)).toBe('data_api_unavailable');
  });

  it('data_api_refused: a bad parameter (the report id), no report of the account, a bad filter', async () => {
    const badId = await thrownBy(() =>
      rpcError({
        code: -32602,
        message: 'Report 424242 is not a report of type mgf_calls',
        data: { mnemonic: 'invalid_parameter_value', field: 'report_id' },
      }),
    );
    expect((badId as Error).message).toContain('invalid_parameter_value (parameter "report_id")');
    expect(kindOf(badId)).toBe('data_api_refused');
    const client = new DataApiClient({
      url: URL,
      accessToken: 'k',
      fetch: scripted(() => ({ body: { jsonrpc: '2.0', id: 1, result: { data: [] } } })),
    });
    const none = await client.findCallsReportId().catch((err: unknown) => err);
    expect((none as { mnemonic?: string }).mnemonic).toBe('report_not_found');
    expect(kindOf(none)).toBe('data_api_refused');
    let filter: unknown;
    try {
      validateFilter({ field: 'no_such_column', operator: '=', value: 1 });
    } catch (err) {
      filter = err;
    }
    expect(kindOf(filter)).toBe('data_api_refused');
  });

  it('email_failed and telegram_failed: the report is stored, a channel did not take it', () => {
    expect(kindOf(new EmailFailedError(manifest, new Error('SES: throttled')))).toBe('email_failed');
    const outcome = { posted: 0, already: 0, failed: [], warnings: [] };
    expect(kindOf(new TelegramFailedError(manifest, outcome))).toBe('telegram_failed');
  });

  it('internal: anything else, also what is not an Error', () => {
    expect(kindOf(new ClaimLostError('reports/x', 'the lease ran out'))).toBe('internal');
    expect(kindOf(new Error('Data API get.mgf_calls failed: access_token_invalid'))).toBe('internal'); // text is not a class
    expect(kindOf('boom')).toBe('internal');
    expect(classifyFailure(new Error('x'), NOW).retryAt).toBeNull();
  });
});

describe('a stored failure', () => {
  it('reads back as it was stored, its reset as an instant', () => {
    const stored = failureFields({ kind: 'data_api_limit', retryAt: NOW + 60_000 });
    expect(stored).toEqual({ error_kind: 'data_api_limit', error_retry_at: '2026-12-01T09:31:00.000Z' });
    expect(failureOf(stored)).toEqual({ kind: 'data_api_limit', retryAt: NOW + 60_000 });
  });

  it('reads as internal when the job failed before kinds existed, or names a kind we do not know', () => {
    expect(failureOf({})).toEqual({ kind: 'internal', retryAt: null });
    expect(failureOf({ error_kind: 'gremlins' as FailureKind, error_retry_at: 'soon' })).toEqual({
      kind: 'internal',
      retryAt: null,
    });
  });
});
