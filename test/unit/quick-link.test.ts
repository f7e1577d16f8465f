/**
 * The quick-link route in memory: opening a link makes one job of its
 * subscription and period rule (ten opens, one job, also at once), shows its
 * progress until it is done, then the report page; a made report is reused
 * (whole, or so far for 10 minutes); the link cannot be widened (another
 * period or subscription is 403); email only when asked, under the cooldown
 * (429 with a message); every refusal a page with its status.
 */
import { describe, expect, it } from 'vitest';
import { subscriptionsSchema } from '../../functions/shared/config.ts';
import type { Cooldowns } from '../../functions/shared/http/cooldown.ts';
import { signQuickLink } from '../../functions/shared/http/links.ts';
import type { PeriodRule } from '../../functions/shared/http/period-rules.ts';
import {
  openQuickLink,
  type QuickDeps,
  quickBaseUrl,
  quickJobId,
} from '../../functions/shared/http/quick-link.ts';
import type { Scope } from '../../functions/shared/http/scopes.ts';
import { type Job, JobConflictError, type JobStore } from '../../functions/shared/pipeline/jobs.ts';
import { clients, withClients } from '../support/clients.ts';
import { MemoryRevocations, RING_AFTER, RING_BEFORE } from '../support/links.ts';

const NOW = Date.UTC(2024, 9, 23, 6); // Wednesday 2024-10-23 09:00 Moscow
const MIN = 60_000;
const DAY = 86_400_000;
const BROWSER = 'text/html,application/xhtml+xml,*/*;q=0.8';

/** Jobs in memory, conditional as the store is: a queued job is written only over none, or over a failed one read. */
class Jobs implements JobStore {
  readonly map = new Map<string, Job>();
  async put(job: Job) {
    const known = this.map.get(job.id);
    if (job.status === 'queued' && known && known.status !== 'failed') throw new JobConflictError(job.id);
    this.map.set(job.id, structuredClone(job));
  }
  async get(id: string) {
    return structuredClone(this.map.get(id) ?? null);
  }
}

class Cooldown implements Cooldowns {
  until = new Map<string, number>();
  async take(subscription: string, now: number) {
    const at = this.until.get(subscription) ?? 0;
    if (now < at) return { ok: false as const, retryAt: at };
    this.until.set(subscription, now + 10 * MIN);
    return { ok: true as const, release: async () => void this.until.delete(subscription) };
  }
}

const SUBSCRIPTIONS = subscriptionsSchema.parse([
  { id: 'sales', recipients: ['head@example.com'] },
  { id: 'support', recipients: ['lead@example.com'], language: 'en' },
]);

function world(now = NOW) {
  const jobs = new Jobs();
  const started: string[] = [];
  const cooldown = new Cooldown();
  const d: QuickDeps = {
    ring: RING_AFTER,
    now,
    revocations: new MemoryRevocations(),
    subscriptions: SUBSCRIPTIONS,
    jobs,
    startWorker: async (id) => {
      started.push(id);
    },
    loadSummary: async (job) => (job.result ? withClients(clients(2)) : null),
    reportLink: async (job) => ({
      url: `https://api.example.com/v1/download/r-${job.id}`,
      expiresAt: '2024-11-06T06:00:00.000Z',
    }),
    cooldown,
    refreshSeconds: 3,
  };
  /** The worker's end of a job: done with a stored report, or failed with a reason. */
  const finish = (id: string, error?: string) => {
    const job = jobs.map.get(id);
    if (!job) throw new Error(`no job ${id}`);
    Object.assign(
      job,
      error
        ? { status: 'failed', error }
        : {
            status: 'done',
            result: { workbook_key: 'w', summary_key: 's', outcome: 'built' },
          },
    );
  };
  return { d, jobs, started, cooldown, finish };
}

const token = (
  rule: PeriodRule = 'last_week',
  over: { subscription?: string; language?: 'ru' | 'en'; scopes?: Scope[]; issued?: number } = {},
) =>
  signQuickLink(
    {
      subscription: over.subscription ?? 'sales',
      rule,
      language: over.language ?? 'ru',
      ...(over.scopes ? { scopes: over.scopes } : {}),
      expiresAt: (over.issued ?? NOW) + 14 * DAY,
    },
    RING_BEFORE,
    over.issued ?? NOW,
  );

const open = (d: QuickDeps, t: string, over: { method?: string; accept?: string; sent?: boolean } = {}) =>
  openQuickLink({ method: over.method ?? 'GET', token: t, accept: over.accept ?? BROWSER, ...over }, d).then(
    (r) => r.response,
  );

describe('opening a quick link', () => {
  it('ten opens make one job, also all at once, each showing "готовится" with a refresh', async () => {
    const w = world();
    const t = token('last_week');
    const answers = await Promise.all(Array.from({ length: 10 }, () => open(w.d, t)));
    for (const a of [...answers, await open(w.d, t)]) {
      expect(a.statusCode).toBe(200);
      expect(a.body).toContain('Отчёт готовится…');
      expect(a.body).toContain('<meta http-equiv="refresh" content="3">');
      expect(a.body).toContain('Звонки за 14.10.2024–20.10.2024');
    }
    expect(w.jobs.map.size).toBe(1);
    expect(w.started).toHaveLength(1);
    const [job] = [...w.jobs.map.values()];
    expect(job?.request).toEqual({
      subscription: 'sales',
      period: { from: '2024-10-14', till: '2024-10-20', timezone: 'Europe/Moscow' },
      language: 'ru',
      email: false,
      force: false,
      working_hours: null,
    });
  });

  it('shows the report page once the job is done, its button on the report link, and the email form', async () => {
    const w = world();
    const t = token('last_week');
    await open(w.d, t);
    w.finish(w.started[0] as string);
    const a = await open(w.d, t);
    expect(a.statusCode).toBe(200);
    expect(a.body).toContain('data-page="report"');
    expect(a.body).not.toContain('http-equiv="refresh"');
    expect(a.body).toContain(`href="https://api.example.com/v1/download/r-${w.started[0]}?format=xlsx"`);
    expect(a.body).toContain('<form method="post">');
    expect(a.headers['Content-Security-Policy']).toContain("form-action 'self'");
  });

  it('links the subscription’s other periods on the report page, not its own', async () => {
    const w = world();
    const d = { ...w.d, links: { baseUrl: 'https://api.example.com/v1/download/', ttlDays: 14 } };
    const t = token('last_week');
    await open(d, t);
    w.finish(w.started[0] as string);
    const body = (await open(d, t)).body;
    const nav = /<nav class="quick"[\s\S]*?<\/nav>/.exec(body)?.[0] ?? '';
    expect(nav).toContain('>Эта неделя</a>');
    expect(nav).toContain('>Этот месяц</a>');
    expect(nav).toContain('>Прошлый месяц</a>');
    expect(nav).not.toContain('Прошлая неделя');
    expect(nav.match(/href="https:\/\/api\.example\.com\/v1\/q\/[^"]+"/g)).toHaveLength(3);
  });

  it('reuses a whole period’s report for as long as it is kept', async () => {
    const w = world();
    await open(w.d, token('last_month'));
    w.finish(w.started[0] as string);
    const later = { ...w.d, now: NOW + 3 * DAY };
    const a = await open(later, token('last_month', { issued: NOW + DAY }));
    expect(a.body).toContain('data-page="report"');
    expect(w.started).toHaveLength(1);
  });

  it('reuses a report so far while it is under 10 minutes old, then makes a new one', async () => {
    const w = world();
    const t = token('this_week');
    await open(w.d, t);
    w.finish(w.started[0] as string);
    for (const after of [1, 5, 9]) {
      const a = await open({ ...w.d, now: NOW + after * MIN }, t);
      expect(a.body).toContain('data-page="report"');
    }
    expect(w.started).toHaveLength(1);
    const fresh = await open({ ...w.d, now: NOW + 11 * MIN }, t);
    expect(fresh.body).toContain('Отчёт готовится…');
    expect(w.started).toHaveLength(2);
  });

  it('makes at most one job per 10 minutes even while one runs', async () => {
    const w = world();
    const t = token('today');
    for (const after of [0, 3, 9, 12, 19]) await open({ ...w.d, now: NOW + after * MIN }, t);
    expect(w.started).toHaveLength(1); // still running: the same job
  });

  it('says a failed report failed, its reason in plain words and what to do, the technical text for the administrator; tries again after 10 minutes', async () => {
    const w = world();
    const t = token('last_week');
    await open(w.d, t);
    w.finish(w.started[0] as string, 'The Data API refused the key (ip_not_whitelisted)');
    Object.assign(w.jobs.map.get(w.started[0] as string) ?? {}, {
      updated_at: new Date(NOW).toISOString(),
      error_kind: 'data_api_auth',
    });
    const a = await open({ ...w.d, now: NOW + MIN }, t);
    expect(a.statusCode).toBe(500);
    expect(a.body).toContain('Отчёт не получилось сделать');
    expect(a.body).toContain('Телефония не дала доступ к звонкам');
    expect(a.body).toContain('нужно проверить ключ доступа в личном кабинете телефонии');
    expect(a.body).toContain(
      'Для администратора: <span lang="en">The Data API refused the key (ip_not_whitelisted)</span>',
    );
    const json = await open({ ...w.d, now: NOW + MIN }, t, { accept: 'application/json' });
    expect(JSON.parse(json.body)).toEqual({
      error: {
        code: 'report_failed',
        message: 'The Data API refused the key (ip_not_whitelisted)',
        field: 'token',
      },
      error_kind: 'data_api_auth',
    });
    const again = await open({ ...w.d, now: NOW + 11 * MIN }, t);
    expect(again.body).toContain('Отчёт готовится…');
    expect(w.started).toEqual([w.started[0], w.started[0]]);
  });

  it('tells a quota’s reset in the subscription’s zone, and a job failed before kinds as our error', async () => {
    const w = world();
    const t = token('last_week');
    await open(w.d, t);
    const id = w.started[0] as string;
    w.finish(id, 'The account quota is used up');
    // 06:40 UTC is 09:40 in Moscow, the subscription's zone.
    Object.assign(w.jobs.map.get(id) ?? {}, {
      updated_at: new Date(NOW).toISOString(),
      error_kind: 'data_api_limit',
      error_retry_at: new Date(NOW + 40 * MIN).toISOString(),
    });
    const limit = await open({ ...w.d, now: NOW + MIN }, t);
    expect(limit.body).toContain('Лимит снова откроется после 09:40');
    Object.assign(w.jobs.map.get(id) ?? {}, { error_kind: undefined, error_retry_at: undefined });
    const old = await open({ ...w.d, now: NOW + MIN }, t);
    expect(old.body).toContain('data-failure="internal"');
    expect(old.body).toContain('на нашей стороне произошла ошибка');
  });

  it('answers a script with JSON: 202 while it runs, 200 with the download link when done', async () => {
    const w = world();
    const t = token('last_week');
    const running = await open(w.d, t, { accept: 'application/json' });
    expect(running.statusCode).toBe(202);
    expect(JSON.parse(running.body)).toMatchObject({ status: 'queued' });
    w.finish(w.started[0] as string);
    const done = await open(w.d, t, { accept: 'application/json' });
    expect(JSON.parse(done.body)).toMatchObject({
      status: 'done',
      download: expect.stringContaining('/download/'),
    });
  });
});

describe('a quick link cannot be widened', () => {
  /** The token with one claim changed and its signature kept. */
  const edited = (t: string, change: Record<string, unknown>) => {
    const [kid, body, sig] = t.split('.') as [string, string, string];
    const claims = { ...JSON.parse(Buffer.from(body, 'base64url').toString('utf8')), ...change };
    return `${kid}.${Buffer.from(JSON.stringify(claims)).toString('base64url')}.${sig}`;
  };

  it.each([
    ['another period', { p: 'this_month' }],
    ['another subscription', { s: 'support' }],
    ['more scopes', { c: ['reports:read', 'reports:create', 'reports:email'] }],
    ['a later expiry', { e: Math.floor(NOW / 1000) + 400 * 86_400 }],
  ])('%s: 403, no job', async (_what, change) => {
    const w = world();
    const a = await open(
      w.d,
      edited(token('last_week', { scopes: ['reports:read', 'reports:create'] }), change),
    );
    expect(a.statusCode).toBe(403);
    expect(a.body).toContain('Ссылка недействительна');
    expect(w.jobs.map.size).toBe(0);
  });

  it('a link of a subscription that is gone: 404, saying which', async () => {
    const w = world();
    const a = await open(w.d, token('last_week', { subscription: 'old-team' }));
    expect(a.statusCode).toBe(404);
    expect(a.body).toContain('Подписки «old-team», для которой сделана эта ссылка, больше нет.');
  });

  it('an expired link: 410 in the link’s language', async () => {
    const w = world();
    const a = await open(
      { ...w.d, now: NOW + 15 * DAY },
      token('last_week', { subscription: 'support', language: 'en' }),
    );
    expect(a.statusCode).toBe(410);
    expect(a.body).toContain('<html lang="en">');
    expect(a.body).toContain('This link stopped working on 2024-11-06.');
  });

  it('a link without the create scope makes nothing: 403', async () => {
    const w = world();
    const a = await open(w.d, token('last_week', { scopes: ['reports:read'] }));
    expect(a.statusCode).toBe(403);
    expect(a.body).toContain('data-refusal="forbidden"');
    expect(w.jobs.map.size).toBe(0);
  });
});

describe('emailing the report from the page', () => {
  it('sends only when asked (POST), as a run for the subscription’s own recipients, then back to the page', async () => {
    const w = world();
    const t = token('last_week');
    await open(w.d, t);
    expect([...w.jobs.map.values()].filter((j) => j.request.email)).toHaveLength(0);
    const posted = await open(w.d, t, { method: 'POST' });
    expect(posted.statusCode).toBe(303);
    expect(posted.headers.Location).toBe('?sent=1');
    const emailed = [...w.jobs.map.values()].filter((j) => j.request.email);
    expect(emailed).toHaveLength(1);
    expect(emailed[0]?.request).toMatchObject({ subscription: 'sales', email: true });
    w.finish(w.started[0] as string);
    const page = await open(w.d, t, { sent: true });
    expect(page.body).toContain('data-email="sending"');
    w.finish(emailed[0]?.id as string);
    expect((await open(w.d, t, { sent: true })).body).toContain('data-email="sent"');
  });

  it('asked twice in 10 minutes makes one emailed run', async () => {
    const w = world();
    const t = token('last_week');
    await open(w.d, t, { method: 'POST' });
    await open({ ...w.d, now: NOW + 2 * MIN }, t, { method: 'POST' });
    expect([...w.jobs.map.values()].filter((j) => j.request.email)).toHaveLength(1);
  });

  it('under the subscription’s cooldown: 429 with a page saying when, and Retry-After', async () => {
    const w = world();
    w.cooldown.until.set('sales', NOW + 7 * MIN);
    const a = await open(w.d, token('last_week'), { method: 'POST' });
    expect(a.statusCode).toBe(429);
    expect(a.headers['Retry-After']).toBe('420');
    expect(a.body).toContain('Повторить отправку можно после 09:07.');
    const json = await open(w.d, token('last_week'), { method: 'POST', accept: 'application/json' });
    expect(JSON.parse(json.body).error).toMatchObject({ code: 'cooldown' });
    expect(JSON.parse(json.body).error.message).toMatch(
      /less than 10 minutes ago; Emailing the report is possible again at 2024-10-23T06:07:00Z \(in 7 min\)/,
    );
  });

  it('a link without the email scope cannot send: 403, and shows no form', async () => {
    const w = world();
    const t = token('last_week', { scopes: ['reports:read', 'reports:create'] });
    expect((await open(w.d, t, { method: 'POST' })).statusCode).toBe(403);
    await open(w.d, t);
    w.finish(w.started[0] as string);
    expect((await open(w.d, t)).body).not.toContain('<form');
  });

  it('refuses other methods with 405', async () => {
    const w = world();
    const a = await open(w.d, token(), { method: 'DELETE' });
    expect(a.statusCode).toBe(405);
    expect(a.headers.Allow).toBe('GET, POST');
  });
});

describe('the quick route’s pieces', () => {
  it('lives beside the download route', () => {
    expect(quickBaseUrl('https://a.execute-api.eu-central-1.amazonaws.com/v1/download/')).toBe(
      'https://a.execute-api.eu-central-1.amazonaws.com/v1/q/',
    );
  });

  it('names a job by what it is for, as a job id', () => {
    const id = quickJobId(['sales', '2024-10-14', '2024-10-20', 'ru', 'view']);
    expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-8[0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(quickJobId(['sales', '2024-10-14', '2024-10-20', 'en', 'view'])).not.toBe(id);
  });
});
