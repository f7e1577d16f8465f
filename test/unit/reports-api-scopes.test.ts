/** The Reports API's scopes and the cooldown on forced and emailed runs (http/api-access.ts). */
import { describe, expect, it } from 'vitest';
import { handleApiEvent } from '../../functions/shared/http/reports-api.ts';
import { authorizerContext, MemoryCooldowns } from '../support/cooldowns.ts';
import { deps, event, ID, NOW, post } from '../support/reports-api.ts';

const as = (scopes: string, subscriptions = '*') => ({
  requestContext: {
    requestId: 'r',
    path: '/prod/reports',
    authorizer: authorizerContext(scopes, subscriptions),
  } as never,
});
const errorOf = (body: string) =>
  (JSON.parse(body) as { error: { code: string; message: string; field: string | null } }).error;

describe('scopes', () => {
  it('a token without reports:create starts nothing (403, the scope named)', async () => {
    const { d, started } = deps();
    const r = await handleApiEvent(
      post({ date: '2024-10-21', subscription: 'sales' }, as('reports:read')),
      d,
    );
    expect(r.statusCode).toBe(403);
    expect(errorOf(r.body)).toEqual({
      code: 'missing_scope',
      message:
        "This API token may not start reports: that needs the scope reports:create; the token's scopes: reports:read",
      field: null,
    });
    expect(started).toEqual([]);
  });

  it('email needs reports:email; without it nothing is queued', async () => {
    const { d, jobs } = deps();
    const r = await handleApiEvent(
      post({ date: '2024-10-21', subscription: 'sales', email: true }, as('reports:create reports:read')),
      d,
    );
    expect(r.statusCode).toBe(403);
    expect(errorOf(r.body)).toMatchObject({
      code: 'missing_scope',
      field: 'email',
      message: expect.stringContaining('reports:email'),
    });
    expect(jobs.jobs.size).toBe(0);
    const ok = await handleApiEvent(
      post({ date: '2024-10-21', subscription: 'sales', force: true }, as('reports:create')),
      d,
    );
    expect(ok.statusCode).toBe(202);
  });

  it('reading a job needs reports:read', async () => {
    const { d } = deps();
    await handleApiEvent(post({ date: '2024-10-21', subscription: 'sales' }), d);
    const r = await handleApiEvent(
      event('GET', '/reports/{id}', null, { pathParameters: { id: ID }, ...as('reports:create') }),
      d,
    );
    expect(r.statusCode).toBe(403);
    expect(errorOf(r.body).message).toContain('reports:read');
  });

  it('a token for some subscriptions touches only those, and means its own when none is named', async () => {
    const { d } = deps();
    const other = await handleApiEvent(
      post({ date: '2024-10-21', subscription: 'support' }, as('reports:create', 'sales')),
      d,
    );
    expect(other.statusCode).toBe(403);
    expect(errorOf(other.body)).toEqual({
      code: 'subscription_not_allowed',
      message: 'This API token may not touch subscription "support"; it may: sales',
      field: 'subscription',
    });
    const own = await handleApiEvent(post({ date: '2024-10-21' }, as('reports:create', 'sales')), d);
    expect(own.statusCode).toBe(202);
    expect(JSON.parse(own.body).request.subscription).toBe('sales');
    const read = await handleApiEvent(
      event('GET', '/reports/{id}', null, { pathParameters: { id: ID }, ...as('reports:read', 'support') }),
      d,
    );
    expect(read.statusCode).toBe(403);
  });

  it('a request that did not pass our authorizer (no context) may do nothing', async () => {
    const { d } = deps();
    const r = await handleApiEvent(
      post({ date: '2024-10-21', subscription: 'sales' }, { requestContext: {} as never }),
      d,
    );
    expect(r.statusCode).toBe(403);
  });
});

describe('the cooldown on forced and emailed runs', () => {
  it('lets one forced or emailed run per subscription through in 10 minutes; the next gets 429 saying when', async () => {
    let now = NOW;
    const { d } = deps({
      now: () => now,
      newId: (() => {
        let n = 0;
        return () => `0b8a4a35-6c1e-4c6f-9e63-2b2f0d6f8a1${n++}`;
      })(),
    });
    expect(
      (await handleApiEvent(post({ date: '2024-10-21', subscription: 'sales', email: true }), d)).statusCode,
    ).toBe(202);
    now += 3 * 60_000;
    const r = await handleApiEvent(post({ date: '2024-10-20', subscription: 'sales', force: true }), d);
    expect(r.statusCode).toBe(429);
    expect(r.headers['Retry-After']).toBe('420');
    expect(errorOf(r.body)).toEqual({
      code: 'cooldown',
      message:
        'Subscription "sales" had a forced or emailed run less than 10 minutes ago; a forced run is possible again at 2024-10-22T06:10:00Z (in 7 min). A run without force and email is not limited',
      field: null,
    });
    // Other subscriptions and ordinary runs are not held up.
    expect(
      (await handleApiEvent(post({ date: '2024-10-21', subscription: 'support', email: true }), d))
        .statusCode,
    ).toBe(202);
    expect((await handleApiEvent(post({ date: '2024-10-20', subscription: 'sales' }), d)).statusCode).toBe(
      202,
    );
    now = NOW + 10 * 60_000;
    expect(
      (await handleApiEvent(post({ date: '2024-10-20', subscription: 'sales', force: true }), d)).statusCode,
    ).toBe(202);
  });

  it('gives the slot back when the run could not start, so the retry is not refused', async () => {
    const cooldowns = new MemoryCooldowns();
    let fail = true;
    const { d } = deps({
      cooldowns,
      startWorker: async () => {
        if (fail) throw new Error('Lambda unavailable');
      },
    });
    expect(
      (await handleApiEvent(post({ date: '2024-10-21', subscription: 'sales', email: true }), d)).statusCode,
    ).toBe(503);
    fail = false;
    expect(
      (await handleApiEvent(post({ date: '2024-10-21', subscription: 'sales', email: true }), d)).statusCode,
    ).toBe(202);
  });

  it('is not taken by a request refused for its own mistakes', async () => {
    const cooldowns = new MemoryCooldowns();
    const { d } = deps({ cooldowns });
    const bad = await handleApiEvent(post({ date: '2099-01-01', subscription: 'sales', email: true }), d);
    expect(bad.statusCode).toBe(400);
    expect(cooldowns.until.size).toBe(0);
  });
});
