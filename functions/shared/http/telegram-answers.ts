/**
 * What the bot says in a chat when a command asks for a report, in the
 * subscription's language (a chat the bot does not know gets Russian, or
 * English when the sender's Telegram is in English). Plain sentences for the
 * Bot API's HTML parse mode, every piece of data escaped; the report's page,
 * when there is one, is the message's button.
 */
import type { Language } from '../language.ts';
import { escapeTelegramHtml as esc } from '../report/email/telegram.ts';
import { formatPeriod } from '../report/format.ts';
import type { FailureKind } from '../report/i18n/failure-kinds.ts';
import { dictionary } from '../report/i18n.ts';
import type { Period } from '../time.ts';

export interface BotAnswer {
  html: string;
  button: { text: string; url: string } | null;
}

/** HH:MM of a wall instant (ms "as if UTC", time.ts toWall). */
const clock = (wallMs: number) => new Date(wallMs).toISOString().slice(11, 16);

const WORDS = {
  ru: {
    open: 'Открыть отчёт',
    starting: (p: string) => `⏳ Готовлю отчёт ${p}. Пришлю его сюда, когда он будет готов.`,
    made: (p: string) =>
      `⏳ Отчёт ${p} уже сделан: его страница по кнопке ниже. Цифры пришлю сюда через минуту.`,
    running: (p: string) => `⏳ Отчёт ${p} уже готовится. Пришлю его сюда, когда он будет готов.`,
    done: (p: string) => `✅ Отчёт ${p} готов: его страница по кнопке ниже.`,
    failed: (p: string, what: string, at: string) =>
      `Отчёт ${p} не получилось сделать. ${what} Попробуйте снова после ${at}.`,
    cooldown: (at: string, minutes: number) =>
      `Отчёт по запросу для этой подписки можно заказывать не чаще раза в 10 минут. Следующий — в ${at} (через ${minutes} мин).`,
    choose: (ids: string, example: string) =>
      `Этот чат получает несколько отчётов: ${ids}. Напишите, какой нужен, например: ${example}`,
    noSuch: (id: string, ids: string) => `Отчёта «${id}» в этом чате нет; здесь есть: ${ids}.`,
    refused:
      'Извините, этот чат не подключён к отчётам о звонках, поэтому здесь я ничего не присылаю. Если отчёты нужны здесь, попросите администратора отчётов добавить этот чат в подписку.',
    help: (ids: string, several: boolean, example: string) =>
      `Сюда я присылаю отчёт о звонках (${ids}) каждое утро.\n\n` +
      '/report — отчёт за вчера\n/week — за прошлую неделю\n/month — за прошлый месяц' +
      (several ? `\n\nЗдесь несколько отчётов: добавьте имя нужного, например ${example}` : ''),
    unknownChat: (where: string) =>
      `Этот чат пока не подключён к отчётам о звонках. Чтобы отчёты приходили сюда, передайте администратору отчётов ${where}.`,
    where: (chat: string, thread: string | null) =>
      thread === null ? `id этого чата: ${chat}` : `id этого чата: ${chat}, темы: ${thread}`,
  },
  en: {
    open: 'Open the report',
    starting: (p: string) => `⏳ Making the report ${p}. I will post it here when it is ready.`,
    made: (p: string) =>
      `⏳ The report ${p} is already made: its page is behind the button. The figures follow here in a minute.`,
    running: (p: string) => `⏳ The report ${p} is being made. I will post it here when it is ready.`,
    done: (p: string) => `✅ The report ${p} is ready: its page is behind the button.`,
    failed: (p: string, what: string, at: string) =>
      `The report ${p} could not be made. ${what} Try again after ${at}.`,
    cooldown: (at: string, minutes: number) =>
      `A report on request for this subscription can be asked for once in 10 minutes. The next one at ${at} (in ${minutes} min).`,
    choose: (ids: string, example: string) =>
      `This chat gets several reports: ${ids}. Say which one, for example: ${example}`,
    noSuch: (id: string, ids: string) => `There is no report "${id}" in this chat; here there are: ${ids}.`,
    refused:
      'Sorry, this chat is not set up for the call reports, so I post nothing here. If the reports are wanted here, ask whoever runs them to add this chat to a subscription.',
    help: (ids: string, several: boolean, example: string) =>
      `Here I post the call report (${ids}) every morning.\n\n` +
      '/report — yesterday\n/week — last week\n/month — last month' +
      (several ? `\n\nThis chat gets several reports: add the one you want, for example ${example}` : ''),
    unknownChat: (where: string) =>
      `This chat is not set up for the call reports yet. To get them here, give whoever runs them ${where}.`,
    where: (chat: string, thread: string | null) =>
      thread === null ? `this chat's id: ${chat}` : `this chat's id: ${chat}, and the topic's: ${thread}`,
  },
} as const;

const plain = (html: string): BotAnswer => ({ html, button: null });
const withLink = (lang: Language, html: string, url: string | null): BotAnswer => ({
  html,
  button: url && /^https?:\/\//i.test(url) ? { text: WORDS[lang].open, url } : null,
});
/** The period with its preposition, as the email says it: «за 14.10.2024–20.10.2024», "on 2024-10-21". */
const period = (p: Period, lang: Language) => esc(formatPeriod(p, dictionary(lang), lang));

export const botAnswers = {
  /** A job started; `url` when the report is already made (its page). */
  starting: (lang: Language, p: Period, url: string | null): BotAnswer =>
    withLink(lang, url ? WORDS[lang].made(period(p, lang)) : WORDS[lang].starting(period(p, lang)), url),
  running: (lang: Language, p: Period): BotAnswer => plain(WORDS[lang].running(period(p, lang))),
  done: (lang: Language, p: Period, url: string): BotAnswer =>
    withLink(lang, WORDS[lang].done(period(p, lang)), url),
  /**
   * What happened in plain words, by the failure's kind (the pages' own words,
   * report/i18n/failure-kinds.ts), never the technical text: a group chat is not
   * its administrator. `retryWall`: when a new try is possible, a wall instant in
   * the subscription's zone.
   */
  failed: (lang: Language, p: Period, kind: FailureKind, retryWall: number): BotAnswer =>
    plain(
      WORDS[lang].failed(
        period(p, lang),
        esc(dictionary(lang).pages.errors.failures[kind].text),
        clock(retryWall),
      ),
    ),
  cooldown: (lang: Language, retryWall: number, minutes: number): BotAnswer =>
    plain(WORDS[lang].cooldown(clock(retryWall), minutes)),
  choose: (lang: Language, ids: readonly string[], command: string): BotAnswer =>
    plain(WORDS[lang].choose(esc(ids.join(', ')), esc(`/${command} ${ids[0] ?? ''}`))),
  noSuch: (lang: Language, id: string, ids: readonly string[]): BotAnswer =>
    plain(WORDS[lang].noSuch(esc(id), esc(ids.join(', ')))),
  refused: (lang: Language): BotAnswer => plain(WORDS[lang].refused),
  /** /start or /help in a chat subscriptions post to: what comes here, and the commands. */
  help: (lang: Language, ids: readonly string[]): BotAnswer =>
    plain(WORDS[lang].help(esc(ids.join(', ')), ids.length > 1, esc(`/week ${ids[0] ?? ''}`))),
  /**
   * /start or /help in a chat no subscription lists: no figures, no names, only
   * the chat's own id (and its topic's), which whoever adds the chat needs (a bot
   * with a webhook cannot be asked getUpdates).
   */
  unknownChat: (lang: Language, chatId: number, threadId: number | null): BotAnswer =>
    plain(
      WORDS[lang].unknownChat(
        `<code>${esc(WORDS[lang].where(String(chatId), threadId === null ? null : String(threadId)))}</code>`,
      ),
    ),
};
