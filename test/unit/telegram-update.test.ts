/**
 * What the webhook reads of Telegram's request: the secret derived from the
 * bot token (a value setWebhook accepts, another for another token), compared
 * in constant time; and the commands of an Update (`/week`, `/week@bot`, an
 * argument), nothing else being a command.
 */
import { describe, expect, it } from 'vitest';
import {
  commandOf,
  secretMatches,
  telegramWebhookSecret,
  updateSchema,
} from '../../functions/shared/http/telegram-update.ts';

const TOKEN = '123456789:AAHfakeTOKENforTESTSonly-abcdefghijkl';

function message(
  text: string,
  entities = [{ type: 'bot_command', offset: 0, length: text.split(' ')[0]?.length ?? 0 }],
) {
  return updateSchema.parse({
    update_id: 1,
    message: { message_id: 5, chat: { id: -1001, type: 'supergroup' }, text, entities, date: 0 },
  });
}

describe('the webhook secret', () => {
  it('is derived from the bot token as setWebhook allows (1-256 of A-Z a-z 0-9 _ -), another per token', () => {
    const s = telegramWebhookSecret(TOKEN);
    expect(s).toMatch(/^[A-Za-z0-9_-]{1,256}$/);
    expect(s).toBe(telegramWebhookSecret(TOKEN));
    expect(s).not.toBe(telegramWebhookSecret('123456789:AAHotherTOKENforTESTSonly-abcdefghij'));
    expect(s).not.toContain(TOKEN.split(':')[1]);
  });

  it('matches only itself: not a prefix, a longer text, another case or nothing', () => {
    const s = telegramWebhookSecret(TOKEN);
    expect(secretMatches(s, s)).toBe(true);
    for (const other of [s.slice(0, -1), `${s}a`, s.toUpperCase(), '', ' '])
      expect(secretMatches(other, s)).toBe(false);
  });
});

describe('the commands of an update', () => {
  it('reads /report, /week and /month with their period rules, alone or addressed to a bot', () => {
    expect(commandOf(message('/report'))).toMatchObject({
      name: 'report',
      rule: 'yesterday',
      addressee: null,
    });
    expect(commandOf(message('/week'))).toMatchObject({ name: 'week', rule: 'last_week' });
    expect(commandOf(message('/month@Call_Reports_Bot'))).toMatchObject({
      name: 'month',
      rule: 'last_month',
      addressee: 'call_reports_bot',
    });
    expect(commandOf(message('/week sales  please'))).toMatchObject({ argument: 'sales' });
  });

  it('sees no command in other text, other commands, a command not at the start, or no entity', () => {
    expect(commandOf(message('/settings'))).toBeNull();
    expect(commandOf(message('/weekly'))).toBeNull();
    expect(commandOf(message('hello /week', [{ type: 'bot_command', offset: 6, length: 5 }]))).toBeNull();
    expect(commandOf(message('/week', []))).toBeNull();
    expect(commandOf(updateSchema.parse({ update_id: 2 }))).toBeNull();
  });

  it('reads /start and /help as asking what the bot does here: no period', () => {
    expect(commandOf(message('/start'))).toMatchObject({ name: 'start', rule: null });
    expect(commandOf(message('/help'))).toMatchObject({ name: 'help', rule: null });
  });

  it('refuses an update whose fields the commands read have the wrong shape', () => {
    expect(
      updateSchema.safeParse({ update_id: 1, message: { message_id: 1, chat: { id: '-1001' } } }).success,
    ).toBe(false);
    expect(updateSchema.safeParse({ update_id: 'x' }).success).toBe(false);
  });
});
