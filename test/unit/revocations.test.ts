import { describe, expect, it } from 'vitest';
import { linkAccess } from '../../functions/shared/http/access-log.ts';
import { downloadResponse } from '../../functions/shared/http/download.ts';
import { signQuickLink, signReportLink } from '../../functions/shared/http/links.ts';
import { openLink } from '../../functions/shared/http/revocations.ts';
import { MemoryRevocations, RING_AFTER, RING_BEFORE } from '../support/links.ts';

const NOW = Date.UTC(2024, 9, 22, 6);
const DAY = 86_400_000;
const KEY = 'reports/sales/2024-10-21_2024-10-21/report.xlsx';
const OTHER_KEY = 'reports/sales/2024-10-20_2024-10-20/report.xlsx';
const reportAt = (issued: number, key = KEY) =>
  signReportLink({ key, subscription: 'sales', expiresAt: issued + 14 * DAY }, RING_BEFORE, issued);
const quickAt = (issued: number, subscription = 'sales') =>
  signQuickLink(
    { subscription, rule: 'this_week', language: 'ru', expiresAt: issued + 14 * DAY },
    RING_BEFORE,
    issued,
  );
const idOf = (token: string, list: MemoryRevocations) =>
  openLink(token, { ring: RING_BEFORE, now: NOW, revocations: list }).then((c) =>
    'claims' in c ? c.claims.id : '',
  );

describe('the revocation list', () => {
  it('revokes one token by its id, and no other', async () => {
    const list = new MemoryRevocations();
    const [a, b] = [reportAt(NOW - DAY), reportAt(NOW - DAY)];
    await list.revoke({ kind: 'token', tokenId: await idOf(a, list) }, NOW - 1000);
    const deps = { ring: RING_BEFORE, now: NOW, revocations: list };
    expect(await openLink(a, deps)).toMatchObject({
      ok: false,
      reason: 'revoked',
      revokedAt: NOW - 1000,
      claims: { key: KEY },
    });
    expect(await openLink(b, deps)).toMatchObject({ ok: true });
  });

  it('revokes every link to one report issued up to the instant; a link minted later works', async () => {
    const list = new MemoryRevocations();
    const before = reportAt(NOW - DAY);
    const otherReport = reportAt(NOW - DAY, OTHER_KEY);
    await list.revoke({ kind: 'key', key: KEY }, NOW - 1000);
    const after = reportAt(NOW);
    const deps = { ring: RING_BEFORE, now: NOW, revocations: list };
    expect(await openLink(before, deps)).toMatchObject({ ok: false, reason: 'revoked' });
    expect(await openLink(otherReport, deps)).toMatchObject({ ok: true });
    expect(await openLink(after, deps)).toMatchObject({ ok: true });
  });

  it('revokes all of a subscription’s links, report and quick, issued up to the instant', async () => {
    const list = new MemoryRevocations();
    await list.revoke({ kind: 'subscription', subscription: 'sales' }, NOW - 1000);
    const deps = { ring: RING_BEFORE, now: NOW, revocations: list };
    expect(await openLink(reportAt(NOW - DAY), deps)).toMatchObject({ ok: false, reason: 'revoked' });
    expect(await openLink(quickAt(NOW - DAY), deps)).toMatchObject({ ok: false, reason: 'revoked' });
    expect(await openLink(quickAt(NOW - DAY, 'support'), deps)).toMatchObject({ ok: true });
    expect(await openLink(quickAt(NOW), deps)).toMatchObject({ ok: true });
  });

  it('is read once per open of a good link, and not for a link refused before', async () => {
    const list = new MemoryRevocations();
    const deps = { ring: RING_BEFORE, now: NOW, revocations: list };
    await openLink(reportAt(NOW), deps);
    await openLink('k1.x.y', deps);
    await openLink(reportAt(NOW - 20 * DAY), deps); // expired
    expect(list.lookups).toBe(1);
  });

  it('is never skipped: an unreadable list fails the open instead of letting it through', async () => {
    const broken = { lookup: () => Promise.reject(new Error('table unavailable')), revoke: async () => {} };
    await expect(
      openLink(reportAt(NOW), { ring: RING_BEFORE, now: NOW, revocations: broken }),
    ).rejects.toThrow('table unavailable');
  });
});

describe('the download route and the link check', () => {
  const presign = async (key: string) => `https://bucket.s3.amazonaws.com/${key}?X-Amz-Signature=abc`;

  it('answers a revoked link with 410 link_revoked', async () => {
    const list = new MemoryRevocations();
    const token = reportAt(NOW - DAY);
    await list.revoke({ kind: 'key', key: KEY }, NOW - 1000);
    const r = await downloadResponse(token, 'application/json', {
      ring: RING_AFTER,
      now: NOW,
      revocations: list,
      presign,
    });
    expect(r.statusCode).toBe(410);
    expect(JSON.parse(r.body)).toMatchObject({ error: { code: 'link_revoked', field: 'token' } });
  });

  it('still opens a link signed before the key rotated', async () => {
    const r = await downloadResponse(reportAt(NOW - DAY), 'text/html', {
      ring: RING_AFTER,
      now: NOW,
      revocations: new MemoryRevocations(),
      presign,
    });
    expect(r.statusCode).toBe(302);
    expect(r.headers.Location).toBe(`https://bucket.s3.amazonaws.com/${KEY}?X-Amz-Signature=abc`);
  });

  it.each(['=', '==', '!'])('answers a signature followed by %j with 403', async (tail) => {
    const r = await downloadResponse(`${reportAt(NOW)}${tail}`, 'application/json', {
      ring: RING_BEFORE,
      now: NOW,
      revocations: new MemoryRevocations(),
      presign,
    });
    expect(r.statusCode).toBe(403);
  });

  it('answers a quick link opened on the download route with 403: it names no workbook', async () => {
    const r = await downloadResponse(quickAt(NOW), 'application/json', {
      ring: RING_BEFORE,
      now: NOW,
      revocations: new MemoryRevocations(),
      presign,
    });
    expect(r.statusCode).toBe(403);
  });
});

describe('the access log line of an open', () => {
  it('names the token by id, what it opens, the status and when, never the token', async () => {
    const token = reportAt(NOW);
    const check = await openLink(token, {
      ring: RING_BEFORE,
      now: NOW,
      revocations: new MemoryRevocations(),
    });
    const line = linkAccess(check, 302, NOW);
    expect(line).toEqual({
      token_id: expect.stringMatching(/^[A-Za-z0-9_-]{16}$/),
      kind: 'report',
      key: KEY,
      subscription: 'sales',
      status: 302,
      at: new Date(NOW).toISOString(),
    });
    expect(JSON.stringify(line)).not.toContain(token.split('.')[2]);
    expect(JSON.stringify(line)).not.toContain(token.split('.')[1]);
  });

  it('names a quick link’s subscription and rule, and a refusal’s reason', async () => {
    const check = await openLink(quickAt(NOW - 20 * DAY), {
      ring: RING_BEFORE,
      now: NOW,
      revocations: new MemoryRevocations(),
    });
    expect(linkAccess(check, 410, NOW)).toMatchObject({
      kind: 'quick',
      subscription: 'sales',
      rule: 'this_week',
      status: 410,
      reason: 'expired',
    });
  });

  it('logs an unreadable token by its reason only', () => {
    expect(linkAccess({ ok: false, reason: 'tampered' }, 403, NOW)).toEqual({
      token_id: null,
      kind: null,
      status: 403,
      reason: 'tampered',
      at: new Date(NOW).toISOString(),
    });
  });
});
