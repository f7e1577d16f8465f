/**
 * The vocabulary of rows: Russian labels with their `value_id`s, tags and
 * comments, as shared frozen constants (the server caches the JSON of frozen
 * objects, and a million rows share them).
 */
import type { LabelledValue, Tag } from '../columns.ts';

function lv<Id extends string | boolean>(value: string, valueId: Id): Readonly<LabelledValue<Id>> {
  return Object.freeze({ value, value_id: valueId });
}

export const DIR_LONG = { in: lv('Входящий звонок', 'in'), out: lv('Исходящий звонок', 'out') };
export const DIR_SHORT = { in: lv('Входящий', 'in'), out: lv('Исходящий', 'out') };
export const STATUS_ANSWERED = lv('Принятый', 'answered');
export const STATUS_LOST = lv('Пропущенный', 'lost');
export const STATUS_LOST_ALT = lv('Потерянный', 'lost');

export const INTERNAL_STR = { ext: lv('Внешний', 'external'), int: lv('Внутренний', 'internal') };
export const INTERNAL_BOOL = { ext: lv('Внешний', false), int: lv('Внутренний', true) };

export const NO_BOOL = lv('Нет', false);
export const YES_BOOL = lv('Да', true);
// The string form of a boolean value_id: the docs only say "string or boolean".
export const NO_STR = lv('Нет', 'false');
export const YES_STR = lv('Да', 'true');

export const TYPE_VA = lv('Звонок ВАТС', 'va');
// value_ids other than "va" are guesses: the docs list only the labels.
export const TYPE_SITEPHONE = lv('Сайтфон', 'sitephone');
export const TYPE_SIP = lv('Исходящий с SIP', 'sip');
export const TYPE_FMC = lv('Исходящий с FMC', 'fmc');
export const TYPE_AMO = lv('amoCRM', 'amocrm');
export const TYPE_BITRIX = lv('Bitrix24', 'bitrix24');

export const FR_SUBSCRIBER = lv('Абонент положил трубку', 'subscriber_disconnects');
export const FR_OPERATOR = lv('Сотрудник разорвал соединение', 'operator_disconnects');
export const FR_REDIRECTED = lv('Вызов перенаправлен', 'call_redirected');
export const FR_NO_OPERATOR = lv('Не дозвонились до сотрудника', 'no_success_operator_call');
export const FR_NO_SUBSCRIBER = lv('Не дозвонились до абонента', 'no_success_subscriber_call');
export const FR_BUSY = lv('Абонент занят', 'subscriber_busy');

export const EXTRA = {
  in_lost: Object.freeze({ call_status: 'lost', call_direction: 'in' }),
  in_answered: Object.freeze({ call_status: 'answered', call_direction: 'in' }),
  out_lost: Object.freeze({ call_status: 'lost', call_direction: 'out' }),
  out_answered: Object.freeze({ call_status: 'answered', call_direction: 'out' }),
};

export const TAGS: readonly Tag[] = [
  { id: 24498, name: 'Обработано', color: 'color2' },
  { id: 24499, name: 'Новый клиент', color: 'color5' },
  { id: 24500, name: 'Повторный клиент', color: 'color3' },
  { id: 24501, name: 'Заказ', color: 'color1' },
  { id: 24502, name: 'Консультация', color: 'color4' },
  { id: 24503, name: 'Жалоба', color: 'color7' },
  { id: 24504, name: 'Спам', color: 'color8' },
  { id: 24505, name: 'Целевой', color: 'color6' },
].map((t) => Object.freeze(t));
/** One frozen single-tag list per tag: shared by every row with that tag. */
export const TAG_LISTS: readonly (readonly Tag[])[] = TAGS.map((t) => Object.freeze([t]));

export const COMMENTS = [
  'Перезвонить после 15:00',
  'Клиент просит КП на почту',
  'Уточнить наличие и сроки доставки',
  'Жалоба на качество, передано руководителю',
  'Ошиблись номером',
  'Записан на консультацию',
  'Просит счёт для юрлица',
  'Не дозвонились, отправили SMS',
];
