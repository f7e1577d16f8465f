import { describe, expect, it } from 'vitest';
import { downloadResponse } from '../../functions/shared/http/download.ts';
import { signLink, verifyLink } from '../../functions/shared/http/links.ts';

const SECRET = 'a-signing-key-of-32-bytes-length!';
const NOW = Date.UTC(2024, 9, 22, 6);
const KEY = 'reports/sales/2024-10-21_2024-10-21/report.xlsx';
const token = signLink({ key: KEY, expiresAt: NOW + 30 * 86_400_000 }, SECRET);
const presign = async (key: string) => `https://bucket.s3.amazonaws.com/${key}?X-Amz-Signature=abc`;

describe('signed links', () => {
  it('round-trips the key and the expiry', () => {
    expect(verifyLink(token, SECRET, NOW)).toEqual({
      ok: true,
      claims: { key: KEY, expiresAt: Math.floor((NOW + 30 * 86_400_000) / 1000) * 1000 },
    });
  });

  it('refuses a link whose payload was changed', () => {
    const [payload, mac] = token.split('.');
    const other = Buffer.from(JSON.stringify({ k: 'reports/other/report.xlsx', e: 9e9 })).toString(
      'base64url',
    );
    expect(verifyLink(`${other}.${mac}`, SECRET, NOW)).toMatchObject({ ok: false, reason: 'tampered' });
    expect(verifyLink(`${payload}.${mac?.slice(0, -2)}AA`, SECRET, NOW)).toMatchObject({
      ok: false,
      reason: 'tampered',
    });
  });

  it('refuses a link signed with another key', () => {
    expect(verifyLink(token, 'another-signing-key-of-32-bytes!', NOW)).toMatchObject({
      ok: false,
      reason: 'tampered',
    });
  });

  it('says a link expired after its expiry, not before', () => {
    const t = signLink({ key: KEY, expiresAt: NOW }, SECRET);
    expect(verifyLink(t, SECRET, NOW).ok).toBe(true);
    expect(verifyLink(t, SECRET, NOW + 1000)).toMatchObject({ ok: false, reason: 'expired' });
  });

  it.each(['', 'abc', 'a.b.c', '.x', `${'x'.repeat(5000)}.y`])('calls %j malformed without throwing', (t) => {
    expect(verifyLink(t, SECRET, NOW).ok).toBe(false);
  });

  it('refuses a signing key shorter than 16 bytes', () => {
    expect(() => signLink({ key: KEY, expiresAt: NOW }, 'short')).toThrow(/at least 16 bytes/);
  });
});

describe('downloadResponse', () => {
  it('redirects a good link to a fresh presigned URL', async () => {
    const r = await downloadResponse(token, 'text/html', { secret: SECRET, now: NOW, presign });
    expect(r.statusCode).toBe(302);
    expect(r.headers.Location).toBe(`https://bucket.s3.amazonaws.com/${KEY}?X-Amz-Signature=abc`);
  });

  it('answers a tampered link with 403 and a Russian page for people', async () => {
    const r = await downloadResponse(`${token}x`, 'text/html,application/xhtml+xml', {
      secret: SECRET,
      now: NOW,
      presign,
    });
    expect(r.statusCode).toBe(403);
    expect(r.headers['Content-Type']).toMatch(/text\/html/);
    expect(r.body).toContain('Ссылка недействительна');
  });

  it('answers an expired link with 410 and JSON for programs', async () => {
    const r = await downloadResponse(token, 'application/json', {
      secret: SECRET,
      now: NOW + 31 * 86_400_000,
      presign,
    });
    expect(r.statusCode).toBe(410);
    expect(JSON.parse(r.body)).toMatchObject({ error: { code: 'link_expired', field: 'token' } });
  });

  it('answers a missing token like a tampered one', async () => {
    const r = await downloadResponse(undefined, undefined, { secret: SECRET, now: NOW, presign });
    expect(r.statusCode).toBe(403);
  });
});
