/**
 * The webhook's choices in memory: which subscription a command in a chat is
 * for when several post there (named, by the topic, or asked back), that a
 * command another bot was named in is ignored, and that an answer Telegram
 * does not take still leaves the job started and Telegram answered 200.
 */
import { describe, expect, it } from 'vitest';
import { subscriptionsSchema } from '../../functions/shared/config.ts';
import { handleTelegramUpdate, type WebhookDeps } from '../../functions/shared/http/telegram-webhook.ts';
import { type Job, JobConflictError, type JobStore } from '../../functions/shared/pipeline/jobs.ts';
import type { TelegramChat } from '../../functions/shared/pipeline/ports.ts';
import { MemoryCooldowns } from '../support/cooldowns.ts';

const NOW = Date.UTC(2024, 9, 23, 9);
const SECRET = 'webhook-secret';

class Jobs implements JobStore {
  readonly map = new Map<string, Job>();
  async put(job: Job) {
    if (job.status === 'queued' && this.map.get(job.id)?.status === 'queued')
      throw new JobConflictError(job.id);
    this.map.set(job.id, structuredClone(job));
  }
  async get(id: string) {
    return structuredClone(this.map.get(id) ?? null);
  }
}

const SUBS = subscriptionsSchema.parse([
  {
    id: 'sales',
    recipients: ['a@example.com'],
    telegram: [{ chat_id: -1001 }, { chat_id: -1001, thread_id: 7 }],
  },
  { id: 'support', recipients: ['b@example.com'], language: 'en', telegram: [{ chat_id: -1001 }] },
]);

function world(send?: () => Promise<unknown>) {
  const jobs = new Jobs();
  const said: Array<{ chat: TelegramChat; html: string }> = [];
  const deps: WebhookDeps = {
    subscriptions: SUBS,
    jobs,
    startWorker: async () => {},
    now: NOW,
    cooldown: new MemoryCooldowns(),
    secret: async () => SECRET,
    bot: {
      username: async () => 'call_reports_bot',
      sendMessage:
        send ??
        (async (chat, m) => {
          said.push({ chat, html: m.html });
        }),
    },
    madeReport: async () => null,
    reportLink: async () => 'https://example.com/v1/download/x',
  };
  const ask = (text: string, thread?: number, chatId = -1001) =>
    handleTelegramUpdate(
      {
        method: 'POST',
        secret: SECRET,
        body: JSON.stringify({
          update_id: 1,
          message: {
            message_id: 2,
            chat: { id: chatId, type: 'supergroup' },
            ...(thread ? { message_thread_id: thread } : {}),
            text,
            entities: [{ type: 'bot_command', offset: 0, length: text.split(' ')[0]?.length }],
          },
        }),
      },
      deps,
    );
  const requested = () => [...jobs.map.values()].map((j) => j.request.subscription);
  return { ask, said, requested, jobs };
}

describe('a command in a chat several subscriptions post to', () => {
  it('asks which one, naming them, and makes nothing', async () => {
    const w = world();
    expect(await w.ask('/week')).toMatchObject({ result: 'choose' });
    expect(w.said.map((s) => s.html)).toEqual([
      'Этот чат получает несколько отчётов: sales, support. Напишите, какой нужен, например: /week sales',
    ]);
    expect(w.requested()).toEqual([]);
  });

  it('makes the one named, or the one whose topic it was asked in', async () => {
    const w = world();
    expect(await w.ask('/week support')).toMatchObject({ result: 'started', subscription: 'support' });
    expect(w.said.at(-1)?.html).toMatch(
      /^⏳ Making the report for 2024-10-14–2024-10-20\. I will post it here/,
    );
    // Topic 7 is only sales's: its report, under its own cooldown.
    expect(await w.ask('/month', 7)).toMatchObject({ result: 'started', subscription: 'sales' });
    expect(await w.ask('/week sales', 7)).toMatchObject({ result: 'cooldown', subscription: 'sales' });
    expect(await w.ask('/week nobody')).toMatchObject({ result: 'choose' });
    expect(w.said.at(-1)?.html).toBe('Отчёта «nobody» в этом чате нет; здесь есть: sales, support.');
    expect(w.requested()).toEqual(['support', 'sales']);
  });

  it('ignores a command addressed to another bot', async () => {
    const w = world();
    expect(await w.ask('/week@other_bot support')).toMatchObject({ result: 'ignored' });
    expect(w.said).toEqual([]);
  });
});

describe('an answer Telegram does not take', () => {
  it('leaves the job started and answers Telegram 200, with the reason for the log', async () => {
    const w = world(async () => {
      throw new Error('sendMessage: 403 Forbidden: bot was kicked from the supergroup chat');
    });
    const r = await w.ask('/report support');
    expect(r).toMatchObject({ result: 'started', answerError: expect.stringMatching(/403 Forbidden/) });
    expect(r.response.statusCode).toBe(200);
    expect(w.requested()).toEqual(['support']);
  });
});

describe('a report that failed a moment ago', () => {
  it('is told in the words of its kind and when to try again, never with the technical text', async () => {
    const w = world();
    await w.ask('/week sales');
    const [job] = [...w.jobs.map.values()];
    w.jobs.map.set(job?.id as string, {
      ...(job as Job),
      status: 'failed',
      error: 'Data API get.mgf_calls failed: invalid_access_token. API said: key 0123456789abcdef is wrong',
      error_kind: 'data_api_auth',
      updated_at: new Date(NOW).toISOString(),
    });
    expect(await w.ask('/week sales')).toMatchObject({ result: 'failed' });
    const said = w.said.at(-1)?.html ?? '';
    expect(said).toContain(
      'Отчёт за 14.10.2024–20.10.2024 не получилось сделать. Телефония не дала доступ к звонкам',
    );
    // 10 minutes after the failure, Moscow time.
    expect(said).toMatch(/Попробуйте снова после 12:10\.$/);
    expect(said).not.toMatch(/invalid_access_token|Data API|0123456789/);
  });
});

describe('/start and /help', () => {
  it('say what comes to this chat and the commands, with the form naming a report where several come, and make nothing', async () => {
    const w = world();
    for (const text of ['/start', '/help@call_reports_bot']) {
      const r = await w.ask(text);
      expect(r).toMatchObject({ result: 'help', command: text.slice(1).split('@')[0] });
    }
    expect(w.said).toHaveLength(2);
    const html = w.said[0]?.html ?? '';
    expect(html).toContain('sales, support');
    expect(html).toMatch(/\/report — .*\n\/week — .*\n\/month — /);
    expect(html).toContain('/week sales');
    expect(w.said[1]?.html).toBe(html);
    expect(w.requested()).toEqual([]);
  });

  it('give a chat no subscription lists its own id and its topic’s, for whoever adds it, and nothing else', async () => {
    const w = world();
    const r = await w.ask('/start', 5, -1009876);
    expect(r.result).toBe('help');
    expect(w.said[0]?.chat).toEqual({ chat_id: -1009876, thread_id: 5 });
    expect(w.said[0]?.html).toContain('<code>id этого чата: -1009876, темы: 5</code>');
    expect(w.said[0]?.html).not.toMatch(/sales|support/);
    expect(w.requested()).toEqual([]);
  });
});
