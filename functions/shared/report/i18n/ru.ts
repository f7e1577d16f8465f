/** The Russian words of the report: the reference dictionary, whose shape `Dictionary` is. */
import type { Language } from '../../language.ts';
import type { CallbackDelayBuckets, MissedFigures, Outcome, ReportSettings, Totals } from '../types.ts';
import { pagesRu } from './pages-ru.ts';

/** A headline figure: its short name and one line saying what it means. */
export interface FigureText {
  label: string;
  meaning: string;
}

type MissedFigureKey = Exclude<
  keyof MissedFigures,
  'callback_delay_buckets' | 'unreturned_numbers' | 'call_first'
>;

export const ru = {
  language: 'ru' as Language,
  title: 'Отчёт по звонкам',
  sheets: {
    callBack: 'Перезвонить',
    summary: 'Сводка',
    missed: 'Пропущенные',
    employees: 'Сотрудники',
    hours: 'По часам',
    days: 'По дням',
    weekHours: 'Дни недели и часы',
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
    noWorkingHours: 'не заданы',
  },
  /** Suffixes used in number formats (the "change" column of the summary). */
  units: {
    seconds: 'с',
    points: 'п.п.',
  },
  /** The report's time zone in words and a partial period's "so far" (format.ts zoneInWords, formatReportPeriod). */
  time: {
    zones: {
      'Europe/Kaliningrad': 'по калининградскому времени',
      'Europe/Moscow': 'по московскому времени',
      'Europe/Samara': 'по самарскому времени',
      'Asia/Yekaterinburg': 'по екатеринбургскому времени',
      'Asia/Omsk': 'по омскому времени',
      'Asia/Novosibirsk': 'по новосибирскому времени',
      'Asia/Krasnoyarsk': 'по красноярскому времени',
      'Asia/Irkutsk': 'по иркутскому времени',
      'Asia/Vladivostok': 'по владивостокскому времени',
    } as Readonly<Record<string, string>>,
    otherZone: 'по часовому поясу {zone}',
    soFar: '{period} (пока, на {at})',
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
      meaning: 'Сотрудник перезвонил и клиент ответил (в течение {horizon} ч после пропущенного)',
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
      meaning: 'Пропущенные, после которых клиенту никто не перезванивал и сам он не дозвонился',
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
      meaning: 'Сколько часов после пропущенного (в нерабочее время — после открытия) засчитывается перезвон',
    },
    working_hours: {
      label: 'Рабочие часы',
      meaning: 'Часы работы команды; «не заданы»: открыто всегда',
    },
  } satisfies Record<keyof ReportSettings, FigureText>,
  columns: {
    callBack: {
      number: 'Номер клиента',
      outcome: 'Итог',
      misses: 'Пропущено звонков',
      firstMissed: 'Первый пропущенный',
      lastMissed: 'Последний пропущенный',
      longestRing: 'Дольше всего ждал',
      attempts: 'Попыток перезвонить',
      line: 'Линия',
      lineComment: 'Комментарий линии',
      employees: 'Кому звонил',
    },
    days: {
      date: 'Дата',
      weekday: 'День недели',
      incoming: 'Входящих',
      missed: 'Пропущено',
      missedRate: 'Доля пропущенных',
      unreturned: 'Не перезвонили',
      outgoing: 'Исходящих',
      avgWait: 'Среднее ожидание',
      slaRate: 'Уровень обслуживания',
    },
    weekHours: {
      weekday: 'День недели',
    },
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
      unreturned: 'Не перезвонили',
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
  /** The workbook's own words (workbook/): its title, the summary's answers, days, and the API's vocabulary by value_id. */
  workbook: {
    /** The summary sheet's title line: the report, its period, its zone in words. */
    title: '{title} {period}, {zone}',
    /** The header of the comparison column: the like period, named. */
    previousColumn: 'Сравнение: {period}',
    answers: 'Главное',
    comparedWith: {
      label: 'Сравнение с',
      meaning: 'Такой же период раньше (те же дни неделей или месяцем раньше); изменение — против него',
    },
    asOf: { label: 'Данные на', meaning: 'Период ещё не закончился: цифры — на этот момент' },
    clientsToCall: {
      label: 'Клиентов ждут звонка',
      meaning:
        'Их последний звонок остался без ответа, и с ними так и не поговорили — список на листе «Перезвонить»',
    },
    missedInHours: {
      label: 'Пропущено в рабочее время',
      meaning: 'Пропущенные входящие, пришедшие в рабочие часы',
    },
    missedRateInHours: {
      label: 'Доля пропущенных в рабочее время',
      meaning: 'Пропущенные в рабочее время, делённые на входящие в рабочее время',
    },
    /** "(no employee)" of the employees' table: the calls that rang no one (IVR, queue, closed line). */
    reachedNobody: '(звонки, не дошедшие до сотрудника)',
    weekdays: {
      mon: 'понедельник',
      tue: 'вторник',
      wed: 'среда',
      thu: 'четверг',
      fri: 'пятница',
      sat: 'суббота',
      sun: 'воскресенье',
    },
    /** `call_finish_reason` by its value_id (simulator/world/vocabulary.ts); an unknown id shows the API's label. */
    finishReasons: {
      subscriber_disconnects: 'Абонент положил трубку',
      operator_disconnects: 'Сотрудник разорвал соединение',
      call_redirected: 'Вызов перенаправлен',
      no_success_operator_call: 'Не дозвонились до сотрудника',
      no_success_subscriber_call: 'Не дозвонились до абонента',
      subscriber_busy: 'Абонент занят',
    } as Readonly<Record<string, string>>,
    /** `call_type` by its value_id; an unknown id shows the API's label. */
    callTypes: {
      va: 'Звонок ВАТС',
      sitephone: 'Сайтфон',
      sip: 'Исходящий с SIP',
      fmc: 'Исходящий с FMC',
      amocrm: 'amoCRM',
      bitrix24: 'Bitrix24',
    } as Readonly<Record<string, string>>,
  },
  /** The manager's email (subject, headline figures, the clients to call, hour chart, link). */
  email: {
    subject: 'Звонки {period}: пропущено {missed} из {incoming} ({rate}), не перезвонили {unreturned}',
    subjectInHours:
      'Звонки {period}: в рабочее время пропущено {missed} из {incoming} ({rate}), не перезвонили {unreturned}',
    periodDay: 'за {day}',
    periodRange: 'за {from}–{till}',
    title: 'Звонки {period}',
    timezone: 'Часы и даты — {zone}',
    /** The headline tiles: beside a figure, what it is made of. */
    tiles: {
      missedInHours: 'Пропущено в рабочее время',
      share: '{rate} входящих',
      outOfHours: 'и {count} вне рабочего времени',
    },
    unreturnedTitle: 'Не перезвонили: {numbers}',
    unreturnedHint: 'С этими клиентами так и не поговорили — позвоните им первыми.',
    calledTimesSince: 'звонил {times}, первый раз в {at}',
    callbackFailed: 'перезванивали {times}, не дозвонились',
    rangFor: 'кому звонил: {names}',
    more: '… и ещё {n} {noun}',
    allCalledBack: 'Всем перезвонили',
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
  /** The pages behind a link (report/page/): pages-ru.ts. */
  pages: pagesRu,
};

/** The shape both dictionaries share. */
export type Dictionary = typeof ru;
