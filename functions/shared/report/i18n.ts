/**
 * Every user-facing string of the report (XLSX sheet names, headers, outcome
 * words, what each figure means), in Russian and English. The two dictionaries
 * have the same keys (`en` is typed as `Dictionary = typeof ru`), so the XLSX,
 * the email and anything else can take `dictionaries[language]` and reuse them.
 *
 * Strings may hold `{name}` placeholders, filled with `fill()`.
 */
import type { Language } from '../language.ts';
import type { CallbackDelayBuckets, MissedFigures, Outcome, ReportSettings, Totals } from './types.ts';

export type { Language };

/** A headline figure: its short name and one line saying what it means. */
export interface FigureText {
  label: string;
  meaning: string;
}

type MissedFigureKey = Exclude<keyof MissedFigures, 'callback_delay_buckets' | 'unreturned_numbers'>;

const ru = {
  language: 'ru' as Language,
  title: 'Отчёт по звонкам',
  sheets: {
    summary: 'Сводка',
    missed: 'Пропущенные',
    employees: 'Сотрудники',
    hours: 'По часам',
    lines: 'Линии',
    calls: 'Все звонки',
  },
  outcomes: {
    called_back: 'перезвонили',
    client_called_again: 'клиент дозвонился сам',
    callback_failed: 'не дозвонились',
    unreturned: 'не перезвонили',
  } satisfies Record<Outcome, string>,
  words: {
    yes: 'да',
    no: 'нет',
    internal: 'внутренний',
    external: 'внешний',
    incoming: 'входящий',
    outgoing: 'исходящий',
    missed: 'пропущен',
    answered: 'принят',
    noEmployee: '(без сотрудника)',
  },
  /** Suffixes used in number formats (the "change" column of the summary). */
  units: {
    seconds: 'с',
    points: 'п.п.',
  },
  summary: {
    columns: {
      figure: 'Показатель',
      value: 'Значение',
      previous: 'Предыдущий период',
      change: 'Изменение',
      meaning: 'Что это значит',
    },
    sections: {
      report: 'Отчёт',
      calls: 'Звонки',
      missed: 'Пропущенные звонки: что с ними стало',
      buckets: 'Через сколько перезвонили',
      settings: 'Настройки расчёта',
    },
    rows: {
      periodFrom: { label: 'Начало периода', meaning: 'Первый день отчёта (с 00:00:00)' },
      periodTill: { label: 'Конец периода', meaning: 'Последний день отчёта (до 23:59:59)' },
      timezone: { label: 'Часовой пояс', meaning: 'Все даты и часы в отчёте указаны по этому поясу' },
      generatedAt: {
        label: 'Отчёт сформирован',
        meaning: 'Когда посчитаны цифры (по часовому поясу отчёта)',
      },
      reportId: { label: 'Отчёт в источнике', meaning: 'Номер отчёта в API, из которого взяты звонки' },
      filter: { label: 'Фильтр', meaning: 'Отбор звонков, заданный в источнике' },
      duplicateRows: {
        label: 'Повторы в источнике',
        meaning: 'Строки, которые API прислал дважды (тот же звонок); каждый звонок посчитан один раз',
      },
    },
  },
  figures: {
    calls: { label: 'Всего звонков', meaning: 'Все звонки за период, включая внутренние' },
    internal: { label: 'Внутренние', meaning: 'Звонки между сотрудниками; в остальных цифрах не участвуют' },
    incoming: { label: 'Входящие', meaning: 'Входящие звонки от клиентов' },
    incoming_answered: { label: 'Входящие принятые', meaning: 'Входящие, на которые ответили' },
    incoming_missed: { label: 'Пропущенные', meaning: 'Входящие, на которые никто не ответил' },
    missed_rate: { label: 'Доля пропущенных', meaning: 'Пропущенные, делённые на все входящие' },
    short_missed: {
      label: 'Короткие пропущенные',
      meaning: 'Пропущенные, где клиент повесил трубку не позже чем через {short} с',
    },
    outgoing: { label: 'Исходящие', meaning: 'Звонки сотрудников клиентам' },
    outgoing_answered: { label: 'Исходящие с ответом', meaning: 'Исходящие, на которые клиент ответил' },
    talk_seconds: {
      label: 'Время разговоров',
      meaning: 'Сколько всего говорили с клиентами (вход. и исход.)',
    },
    avg_talk_seconds_incoming: {
      label: 'Средний входящий разговор',
      meaning: 'Средняя длительность разговора по принятым входящим',
    },
    avg_talk_seconds_outgoing: {
      label: 'Средний исходящий разговор',
      meaning: 'Средняя длительность разговора по исходящим с ответом',
    },
    avg_wait_seconds: {
      label: 'Среднее ожидание ответа',
      meaning: 'Сколько в среднем клиент ждал, пока ему ответят (по принятым входящим)',
    },
    max_wait_seconds: { label: 'Самое долгое ожидание', meaning: 'Дольше всего клиент ждал ответа' },
    sla_rate: {
      label: 'Уровень обслуживания',
      meaning: 'Доля входящих, принятых не дольше чем за {sla} с ожидания',
    },
  } satisfies Partial<Record<keyof Totals, FigureText>>,
  missedFigures: {
    total: { label: 'Пропущенных звонков', meaning: 'Входящие от клиентов без ответа' },
    numbers: { label: 'Разных номеров', meaning: 'Сколько разных клиентов не дозвонились' },
    called_back: {
      label: 'Перезвонили',
      meaning: 'Сотрудник перезвонил и клиент ответил (в течение {horizon} ч после периода)',
    },
    client_called_again: {
      label: 'Клиент дозвонился сам',
      meaning: 'Клиент позвонил ещё раз, и ему ответили',
    },
    callback_failed: {
      label: 'Не дозвонились',
      meaning: 'Перезванивали, но клиент не ответил',
    },
    unreturned: {
      label: 'Не перезвонили',
      meaning: 'Клиенту никто не перезванивал — их список на листе «Пропущенные»',
    },
    avg_callback_delay_seconds: {
      label: 'Среднее время до перезвона',
      meaning: 'Сколько в среднем прошло от пропущенного звонка до перезвона',
    },
  } satisfies Record<MissedFigureKey, FigureText>,
  buckets: {
    le_15m: { label: 'До 15 минут', meaning: 'Перезвонили не позже чем через 15 минут' },
    le_1h: { label: 'От 15 минут до часа', meaning: 'Перезвонили через 15–60 минут' },
    le_4h: { label: 'От 1 до 4 часов', meaning: 'Перезвонили через 1–4 часа' },
    later: { label: 'Позже 4 часов', meaning: 'Перезвонили больше чем через 4 часа' },
  } satisfies Record<keyof CallbackDelayBuckets, FigureText>,
  settings: {
    sla_seconds: { label: 'Порог ожидания, с', meaning: 'Ответ не дольше этого считается вовремя' },
    short_call_seconds: {
      label: 'Короткий пропущенный, с',
      meaning: 'Пропущенный не длиннее этого считается коротким',
    },
    callback_horizon_hours: {
      label: 'Срок на перезвон, ч',
      meaning: 'Сколько часов после конца периода ещё засчитывается перезвон',
    },
  } satisfies Record<keyof ReportSettings, FigureText>,
  columns: {
    missed: {
      time: 'Время звонка',
      client: 'Номер клиента',
      line: 'Линия',
      lineComment: 'Комментарий линии',
      employees: 'Кому звонил',
      waited: 'Сколько ждал',
      finishReason: 'Причина завершения',
      timesMissed: 'Пропущено с номера за период',
      outcome: 'Итог',
      callbackTime: 'Когда связались',
      delay: 'Через сколько',
      callbackEmployee: 'Кто перезвонил',
      attempts: 'Попыток перезвонить',
      callId: 'ID звонка',
    },
    employees: {
      name: 'Сотрудник',
      incomingAnswered: 'Принял входящих',
      outgoing: 'Исходящих',
      outgoingAnswered: 'Исходящих с ответом',
      missed: 'Пропущено',
      talk: 'Время разговоров',
      avgTalk: 'Средний разговор',
      avgWait: 'Среднее ожидание',
      callbacks: 'Перезвонил',
    },
    hours: {
      hour: 'Час',
      incoming: 'Входящих',
      missed: 'Пропущено',
      missedRate: 'Доля пропущенных',
      outgoing: 'Исходящих',
    },
    lines: {
      number: 'Линия',
      comment: 'Комментарий',
      incoming: 'Входящих',
      missed: 'Пропущено',
      missedRate: 'Доля пропущенных',
      unreturned: 'Не перезвонили',
    },
    calls: {
      id: 'ID звонка',
      start: 'Начало',
      finish: 'Конец',
      direction: 'Направление',
      status: 'Статус',
      scope: 'Внешний / внутренний',
      type: 'Тип',
      finishReason: 'Причина завершения',
      client: 'Номер клиента',
      line: 'Линия',
      lineComment: 'Комментарий линии',
      employees: 'Сотрудники',
      receivedCall: 'Принял звонок',
      firstEmployee: 'Первый сотрудник (внутр.)',
      secondEmployee: 'Второй сотрудник (внутр.)',
      coaches: 'Наставники',
      coachHandled: 'Обработан наставником',
      blacklisted: 'Номер в чёрном списке',
      total: 'Длительность',
      wait: 'Ожидание',
      talk: 'Разговор',
      processedMark: 'Постобработка',
      tags: 'Теги',
      records: 'Записей',
      rating: 'Оценка',
      comment: 'Комментарий',
      commentAuthor: 'Автор комментария',
    },
  },
  /** The manager's email (subject, headline figures, unreturned numbers, hour chart, link). */
  email: {
    subject: 'Звонки {period}: пропущено {missed} из {incoming} ({rate}), не перезвонили {unreturned}',
    periodDay: 'за {day}',
    periodRange: 'за {from}–{till}',
    title: 'Звонки {period}',
    timezone: 'Время указано по часовому поясу {zone}',
    unreturnedTitle: 'Не перезвонили: {numbers}',
    unreturnedHint: 'Этим клиентам никто не перезванивал, и сами они не дозвонились — позвоните им первыми.',
    calledTimes: 'звонил {times}',
    rangFor: 'кому звонил: {names}',
    more: '… и ещё {n} {noun}',
    hiddenNumber: 'номер скрыт',
    allCalledBack: 'Всем перезвонили',
    allCalledBackFailed: 'Всем перезванивали, но не дозвонились: {count}',
    noMissed: 'Пропущенных звонков не было',
    download: 'Скачать отчёт (XLSX)',
    linkExpires: 'Ссылка действует до {date}',
    linkFallback: 'Если кнопка не открывается, скопируйте ссылку:',
    figuresTitle: 'Главные цифры',
    comparedWith: 'изменение — по сравнению с периодом {period}',
    noChange: 'без изменений',
    outgoingAnswered: '{count} с ответом',
    slaLabel: '{label} (ответ за {sla} с)',
    hoursTitle: 'Звонки по часам',
    hoursLegend: {
      answered: 'принятые входящие',
      missed: 'пропущенные',
      outgoing: 'исходящие',
    },
    noCalls: 'Звонков за период не было',
    generatedAt: 'Отчёт сформирован {at}',
    duration: { hours: 'ч', minutes: 'мин', seconds: 'с' },
    /** Count forms by `Intl.PluralRules` category: 1 звонок, 3 звонка, 5 звонков, 1,5 звонка. */
    nouns: {
      calls: { one: 'звонок', few: 'звонка', many: 'звонков', other: 'звонка' },
      missedCalls: {
        one: 'пропущенный звонок',
        few: 'пропущенных звонка',
        many: 'пропущенных звонков',
        other: 'пропущенного звонка',
      },
      numbers: { one: 'номер', few: 'номера', many: 'номеров', other: 'номера' },
      times: { one: 'раз', few: 'раза', many: 'раз', other: 'раза' },
    },
  },
};

/** The shape both dictionaries share. */
export type Dictionary = typeof ru;

const en: Dictionary = {
  language: 'en',
  title: 'Call report',
  sheets: {
    summary: 'Summary',
    missed: 'Missed calls',
    employees: 'Employees',
    hours: 'Hours',
    lines: 'Lines',
    calls: 'All calls',
  },
  outcomes: {
    called_back: 'called back',
    client_called_again: 'client got through',
    callback_failed: 'callback not answered',
    unreturned: 'not called back',
  },
  words: {
    yes: 'yes',
    no: 'no',
    internal: 'internal',
    external: 'external',
    incoming: 'incoming',
    outgoing: 'outgoing',
    missed: 'missed',
    answered: 'answered',
    noEmployee: '(no employee)',
  },
  units: {
    seconds: 's',
    points: 'pp',
  },
  summary: {
    columns: {
      figure: 'Figure',
      value: 'Value',
      previous: 'Previous period',
      change: 'Change',
      meaning: 'What it means',
    },
    sections: {
      report: 'Report',
      calls: 'Calls',
      missed: 'Missed calls: what became of them',
      buckets: 'How soon they were called back',
      settings: 'Settings used',
    },
    rows: {
      periodFrom: { label: 'Period from', meaning: 'First day of the report (from 00:00:00)' },
      periodTill: { label: 'Period till', meaning: 'Last day of the report (to 23:59:59)' },
      timezone: { label: 'Time zone', meaning: 'All dates and hours in the report are in this zone' },
      generatedAt: {
        label: 'Generated at',
        meaning: "When the figures were computed (in the report's zone)",
      },
      reportId: { label: 'Source report', meaning: 'The API report the calls were taken from' },
      filter: { label: 'Filter', meaning: 'The selection of calls set in the source' },
      duplicateRows: {
        label: 'Repeated rows in the source',
        meaning: 'Rows the API sent twice (the same call); each call is counted once',
      },
    },
  },
  figures: {
    calls: { label: 'All calls', meaning: 'Every call in the period, internal ones included' },
    internal: { label: 'Internal', meaning: 'Calls between employees; counted in no other figure' },
    incoming: { label: 'Incoming', meaning: 'Incoming calls from clients' },
    incoming_answered: { label: 'Incoming answered', meaning: 'Incoming calls someone answered' },
    incoming_missed: { label: 'Missed', meaning: 'Incoming calls nobody answered' },
    missed_rate: { label: 'Missed rate', meaning: 'Missed calls divided by all incoming calls' },
    short_missed: {
      label: 'Short missed',
      meaning: 'Missed calls where the client hung up within {short} s',
    },
    outgoing: { label: 'Outgoing', meaning: 'Calls from employees to clients' },
    outgoing_answered: { label: 'Outgoing answered', meaning: 'Outgoing calls the client answered' },
    talk_seconds: { label: 'Talk time', meaning: 'Total time spent talking to clients (both directions)' },
    avg_talk_seconds_incoming: {
      label: 'Average incoming talk',
      meaning: 'Mean talk time of answered incoming calls',
    },
    avg_talk_seconds_outgoing: {
      label: 'Average outgoing talk',
      meaning: 'Mean talk time of answered outgoing calls',
    },
    avg_wait_seconds: {
      label: 'Average wait',
      meaning: 'How long a client waited for an answer, on average (answered incoming calls)',
    },
    max_wait_seconds: { label: 'Longest wait', meaning: 'The longest a client waited for an answer' },
    sla_rate: {
      label: 'Service level',
      meaning: 'Share of incoming calls answered within {sla} s of waiting',
    },
  },
  missedFigures: {
    total: { label: 'Missed calls', meaning: 'Incoming calls from clients nobody answered' },
    numbers: { label: 'Distinct numbers', meaning: 'How many different clients did not get through' },
    called_back: {
      label: 'Called back',
      meaning: 'An employee called back and the client answered (within {horizon} h after the period)',
    },
    client_called_again: {
      label: 'Client got through',
      meaning: 'The client called again and was answered',
    },
    callback_failed: {
      label: 'Callback not answered',
      meaning: 'We called back, but the client did not answer',
    },
    unreturned: {
      label: 'Not called back',
      meaning: 'Nobody called the client back: see the list on the "Missed calls" sheet',
    },
    avg_callback_delay_seconds: {
      label: 'Average callback delay',
      meaning: 'Mean time from the missed call to the callback',
    },
  },
  buckets: {
    le_15m: { label: 'Within 15 minutes', meaning: 'Called back within 15 minutes' },
    le_1h: { label: '15 minutes to 1 hour', meaning: 'Called back after 15 to 60 minutes' },
    le_4h: { label: '1 to 4 hours', meaning: 'Called back after 1 to 4 hours' },
    later: { label: 'Over 4 hours', meaning: 'Called back more than 4 hours later' },
  },
  settings: {
    sla_seconds: { label: 'Wait threshold, s', meaning: 'An answer within this counts as on time' },
    short_call_seconds: {
      label: 'Short missed call, s',
      meaning: 'A missed call no longer than this counts as short',
    },
    callback_horizon_hours: {
      label: 'Callback window, h',
      meaning: 'How many hours after the period a callback still counts',
    },
  },
  columns: {
    missed: {
      time: 'Time',
      client: 'Client number',
      line: 'Line',
      lineComment: 'Line comment',
      employees: 'Rang for',
      waited: 'Client waited',
      finishReason: 'Finish reason',
      timesMissed: 'Times missed in period',
      outcome: 'Outcome',
      callbackTime: 'Connected at',
      delay: 'Delay',
      callbackEmployee: 'Called back by',
      attempts: 'Callback attempts',
      callId: 'Call ID',
    },
    employees: {
      name: 'Employee',
      incomingAnswered: 'Incoming answered',
      outgoing: 'Outgoing',
      outgoingAnswered: 'Outgoing answered',
      missed: 'Missed',
      talk: 'Talk time',
      avgTalk: 'Average talk',
      avgWait: 'Average wait',
      callbacks: 'Callbacks',
    },
    hours: {
      hour: 'Hour',
      incoming: 'Incoming',
      missed: 'Missed',
      missedRate: 'Missed rate',
      outgoing: 'Outgoing',
    },
    lines: {
      number: 'Line',
      comment: 'Comment',
      incoming: 'Incoming',
      missed: 'Missed',
      missedRate: 'Missed rate',
      unreturned: 'Not called back',
    },
    calls: {
      id: 'Call ID',
      start: 'Start',
      finish: 'Finish',
      direction: 'Direction',
      status: 'Status',
      scope: 'External / internal',
      type: 'Type',
      finishReason: 'Finish reason',
      client: 'Client number',
      line: 'Line',
      lineComment: 'Line comment',
      employees: 'Employees',
      receivedCall: 'Answered by',
      firstEmployee: 'First employee (internal)',
      secondEmployee: 'Second employee (internal)',
      coaches: 'Coaches',
      coachHandled: 'Coach handled',
      blacklisted: 'Blacklisted number',
      total: 'Duration',
      wait: 'Wait',
      talk: 'Talk',
      processedMark: 'Wrap-up',
      tags: 'Tags',
      records: 'Records',
      rating: 'Rating',
      comment: 'Comment',
      commentAuthor: 'Comment author',
    },
  },
  email: {
    subject: 'Calls {period}: {missed} of {incoming} missed ({rate}), {unreturned} not called back',
    periodDay: 'on {day}',
    periodRange: 'for {from}–{till}',
    title: 'Calls {period}',
    timezone: 'Times are in the {zone} time zone',
    unreturnedTitle: 'Not called back: {numbers}',
    unreturnedHint:
      'Nobody called these clients back and they did not get through on their own: call them first.',
    calledTimes: 'called {times}',
    rangFor: 'rang for: {names}',
    more: '… and {n} more {noun}',
    hiddenNumber: 'hidden number',
    allCalledBack: 'Every missed client was called back',
    allCalledBackFailed: 'Every missed client was called back, but {count} did not answer',
    noMissed: 'No missed calls',
    download: 'Download the report (XLSX)',
    linkExpires: 'The link works until {date}',
    linkFallback: 'If the button does not open, copy the link:',
    figuresTitle: 'Headline figures',
    comparedWith: 'change against {period}',
    noChange: 'no change',
    outgoingAnswered: '{count} answered',
    slaLabel: '{label} (answered within {sla} s)',
    hoursTitle: 'Calls by hour',
    hoursLegend: {
      answered: 'incoming answered',
      missed: 'missed',
      outgoing: 'outgoing',
    },
    noCalls: 'No calls in the period',
    generatedAt: 'Report made {at}',
    duration: { hours: 'h', minutes: 'min', seconds: 's' },
    nouns: {
      calls: { one: 'call', few: 'calls', many: 'calls', other: 'calls' },
      missedCalls: { one: 'missed call', few: 'missed calls', many: 'missed calls', other: 'missed calls' },
      numbers: { one: 'number', few: 'numbers', many: 'numbers', other: 'numbers' },
      times: { one: 'time', few: 'times', many: 'times', other: 'times' },
    },
  },
};

export const dictionaries: Readonly<Record<Language, Dictionary>> = Object.freeze({ ru, en });

export function dictionary(language: Language): Dictionary {
  return dictionaries[language];
}

/** Replaces `{name}` placeholders with the given values; unknown placeholders stay as they are. */
export function fill(template: string, values: Readonly<Record<string, string | number>>): string {
  return template.replace(/\{(\w+)\}/g, (whole, key: string) => {
    const v = values[key];
    return v === undefined ? whole : String(v);
  });
}
