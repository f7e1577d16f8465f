/** `npm run revoke` against dynalite: each form puts its entry on the list, and the link it names answers revoked. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runRevoke } from '../../cli/revoke-main.ts';
import { DynamoRevocations } from '../../functions/shared/adapters/aws/dynamo-revocations.ts';
import { signQuickLink, signReportLink } from '../../functions/shared/http/links.ts';
import { openLink } from '../../functions/shared/http/revocations.ts';
import { type LocalDynamo, startDynalite } from '../support/dynalite.ts';
import { RING_AFTER } from '../support/links.ts';

const NOW = Date.UTC(2026, 11, 1, 12);
const DAY = 86_400_000;
let dynamo: LocalDynamo;
let list: DynamoRevocations;

beforeAll(async () => {
  dynamo = await startDynalite();
  list = new DynamoRevocations({ client: dynamo.client, table: dynamo.table });
});
afterAll(() => dynamo.stop());

async function revoke(...argv: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await runRevoke(
    argv,
    { LOCK_TABLE: dynamo.table },
    { stdout: { write: (s: string) => out.push(s) }, stderr: { write: (s: string) => err.push(s) } },
    { client: dynamo.client, now: () => NOW },
  );
  return { code, out: out.join(''), err: err.join('') };
}
const open = (token: string) => openLink(token, { ring: RING_AFTER, now: NOW + 1000, revocations: list });
const report = (key: string, subscription: string) =>
  signReportLink({ key, subscription, expiresAt: NOW + 14 * DAY }, RING_AFTER, NOW - DAY);

describe('npm run revoke', () => {
  it('revokes one link given as its URL, by its id, and prints what it was, never the token', async () => {
    const token = report('reports/cli-a/2026-11-30_2026-11-30/report.xlsx', 'cli-a');
    const sibling = report('reports/cli-a/2026-11-30_2026-11-30/report.xlsx', 'cli-a');
    const r = await revoke('--link', `https://x.execute-api.eu-central-1.amazonaws.com/v1/download/${token}`);
    expect(r).toMatchObject({ code: 0, err: '' });
    expect(r.out).toMatch(
      /^Revoked link [A-Za-z0-9_-]{16} \(report reports\/cli-a\/2026-11-30_2026-11-30\/report\.xlsx, subscription cli-a, expires 2026-12-15T12:00:00\.000Z\)\. It answers 410 "revoked" from its next open\.\n$/,
    );
    expect(r.out).not.toContain(token.split('.')[2]);
    expect(await open(token)).toMatchObject({ ok: false, reason: 'revoked' });
    expect(await open(sibling)).toMatchObject({ ok: true });
  });

  it('revokes every link to one report, and every link of a subscription, issued until now', async () => {
    const key = 'reports/cli-b/2026-11-30_2026-11-30/report.xlsx';
    const one = report(key, 'cli-b');
    expect((await revoke('--report', key)).code).toBe(0);
    expect(await open(one)).toMatchObject({ ok: false, reason: 'revoked' });
    const quick = signQuickLink(
      { subscription: 'cli-c', rule: 'last_week', language: 'ru', expiresAt: NOW + DAY },
      RING_AFTER,
      NOW - 1000,
    );
    const r = await revoke('--subscription', 'cli-c', '--table', dynamo.table);
    expect(r.out).toBe(
      'Revoked every link of subscription cli-c issued until 2026-12-01T12:00:00.000Z. It answers 410 "revoked" from its next open.\n',
    );
    expect(await open(quick)).toMatchObject({ ok: false, reason: 'revoked' });
  });

  it.each([
    [[], 'give exactly one of --link, --token-id, --report, --subscription'],
    [
      ['--link', 'x', '--subscription', 'sales'],
      'give exactly one of --link, --token-id, --report, --subscription',
    ],
    [['--link', 'https://x/download/not-a-token'], '--link: not one of our links'],
    [['--token-id', 'short'], '--token-id must be the 16-character id the access log shows, got "short"'],
    [['--report', 'reports/sales/summary.json'], '--report must be a report workbook key'],
    [['--subscription', 'Sales Team'], '--subscription must be a subscription id, got "Sales Team"'],
    [['--subscription', 'sales', '--at', 'yesterday'], '--at must be an ISO instant'],
    [['--subscription', 'sales', '--at', '2099-01-01T00:00:00Z'], '--at is in the future'],
    [
      ['--token-id', 'AAAAAAAAAAAAAAAA', '--at', '2026-01-01T00:00:00Z'],
      '--at is for --report and --subscription',
    ],
    [['--colour', 'red'], "Unknown option '--colour'"],
  ])('refuses %j with exit 2 and one line', async (argv, message) => {
    const r = await revoke(...argv);
    expect(r.code).toBe(2);
    expect(r.out).toBe('');
    expect(r.err.split('\n').filter(Boolean)).toHaveLength(1);
    expect(r.err).toContain(message);
  });
});
