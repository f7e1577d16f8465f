/**
 * What the link route and the authorizer write to their logs, through the real
 * handlers (even with POWERTOOLS_LOGGER_LOG_EVENT on): one `Link opened` line
 * per open with the token's id, kind, what it opens, status and time; never
 * the token; a revoked link 410 and counted; the authorizer's line names the
 * token's name and scopes, never the token.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DynamoRevocations } from '../../functions/shared/adapters/aws/dynamo-revocations.ts';
import { parseKeyRing } from '../../functions/shared/http/key-ring.ts';
import { signReportLink } from '../../functions/shared/http/links.ts';
import { generateCalls } from '../../simulator/generator.ts';
import {
  apiEvent,
  lambdaContext as context,
  type LambdaEnv,
  metricsIn,
  startLambdaEnv,
} from '../support/lambda-env.ts';

let e: LambdaEnv;
const KEY = 'reports/sales/2024-10-21_2024-10-21/report.xlsx';

beforeAll(async () => {
  e = await startLambdaEnv({
    simulator: { rows: generateCalls({ seed: 3, from: '2024-10-21', till: '2024-10-21', callsPerDay: 10 }) },
    subscriptions: [{ id: 'sales', recipients: ['head.of.sales@example.com'] }],
    env: { POWERTOOLS_LOGGER_LOG_EVENT: 'true' },
  });
});
afterAll(() => e.stop());

const mint = () =>
  signReportLink(
    { key: KEY, subscription: 'sales', expiresAt: Date.now() + 86_400_000 },
    parseKeyRing(e.secrets.linkKey),
    Date.now(),
  );
const opened = (lines: string[]) =>
  lines
    .flatMap((l) => l.split('\n'))
    .filter((l) => l.includes('"Link opened"'))
    .map((l) => JSON.parse(l) as Record<string, unknown>);

describe('the download route’s log', () => {
  it('writes one access line per open with the token id and what it opens, and never the token', async () => {
    const token = mint();
    const at = e.logs.length;
    const res = await e.download(apiEvent('GET', '/download/{token}', null, { token }), context('download'));
    expect(res.statusCode).toBe(302);
    const lines = opened(e.logs.slice(at));
    expect(lines).toEqual([
      expect.objectContaining({
        token_id: expect.stringMatching(/^[A-Za-z0-9_-]{16}$/),
        kind: 'report',
        key: KEY,
        subscription: 'sales',
        status: 302,
        at: expect.stringMatching(/^\d{4}-\d{2}-\d{2}T/),
      }),
    ]);
    const all = e.logs.slice(at).join('\n');
    expect(all).not.toContain(token);
    expect(all).not.toContain(token.split('.')[2]);
    expect(metricsIn(e.logs.slice(at))).toEqual({ LinkOpened: 1 });
  });

  it('answers a revoked link 410 from its next open, logs why and counts it', async () => {
    const token = mint();
    await new DynamoRevocations({ client: e.dynamo.client, table: e.dynamo.table }).revoke(
      { kind: 'key', key: KEY },
      Date.now() + 1000,
    );
    const at = e.logs.length;
    const res = await e.download(apiEvent('GET', '/download/{token}', null, { token }), context('download'));
    expect(res.statusCode).toBe(410);
    expect(opened(e.logs.slice(at))).toEqual([
      expect.objectContaining({ status: 410, reason: 'revoked', key: KEY }),
    ]);
    expect(metricsIn(e.logs.slice(at))).toEqual({ LinkRevoked: 1 });
    expect(e.logs.slice(at).join('\n')).not.toContain(token);
  });

  it('logs a tampered token by its reason alone', async () => {
    const token = `${mint()}=`;
    const at = e.logs.length;
    const res = await e.download(apiEvent('GET', '/download/{token}', null, { token }), context('download'));
    expect(res.statusCode).toBe(403);
    const [line, ...more] = opened(e.logs.slice(at));
    expect(more).toEqual([]);
    expect(line).toMatchObject({ status: 403, reason: 'tampered' });
    // Nothing of the token: no id, no kind (the logger leaves out the nulls).
    expect(line?.token_id ?? null).toBeNull();
    expect(line?.kind ?? null).toBeNull();
    expect(e.logs.slice(at).join('\n')).not.toContain(token.slice(0, -1));
  });
});

describe('the authorizer’s log', () => {
  it('names the token’s principal and scopes, never the token', async () => {
    const at = e.logs.length;
    await e.authorizer(
      {
        type: 'TOKEN',
        authorizationToken: `Bearer ${e.secrets.bearer}`,
        methodArn: 'arn:aws:execute-api:eu-central-1:123456789012:abc123/prod/POST/reports',
      },
      context('authorizer'),
    );
    const line = e.logs
      .slice(at)
      .flatMap((l) => l.split('\n'))
      .find((l) => l.includes('"Authorization"'));
    expect(JSON.parse(line ?? '{}')).toMatchObject({
      allowed: true,
      principal: 'api-client',
      scopes: ['reports:read', 'reports:create', 'reports:email'],
    });
    expect(e.logs.slice(at).join('\n')).not.toContain(e.secrets.bearer);
  });
});
