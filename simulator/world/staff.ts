/**
 * The team: employees with Russian names, extensions, ids and coaches, and the
 * account's lines (Moscow virtual numbers with notes), derived from the seed alone.
 */
import type { EmployeeRef } from '../columns.ts';
import { cumulative, hash32, mulberry32 } from './random.ts';

export const LINE_COMMENTS = [
  'Отдел продаж',
  'Реклама Яндекс',
  'Сайт',
  'Реклама 2ГИС',
  'Авито',
  'Сервисный центр',
  'Наружная реклама',
  'Повторные клиенты',
  'Выставка',
  null,
];

const SURNAMES = [
  'Иванов',
  'Петров',
  'Смирнов',
  'Кузнецов',
  'Попов',
  'Васильев',
  'Соколов',
  'Михайлов',
  'Новиков',
  'Фёдоров',
  'Морозов',
  'Волков',
  'Алексеев',
  'Лебедев',
  'Семёнов',
  'Егоров',
  'Павлов',
  'Козлов',
  'Степанов',
  'Николаев',
  'Орлов',
  'Андреев',
  'Макаров',
  'Никитин',
  'Захаров',
];
const MALE_NAMES = [
  'Александр',
  'Дмитрий',
  'Максим',
  'Сергей',
  'Андрей',
  'Алексей',
  'Артём',
  'Илья',
  'Кирилл',
  'Михаил',
  'Никита',
  'Иван',
  'Егор',
  'Роман',
  'Павел',
];
const FEMALE_NAMES = [
  'Мария',
  'Анна',
  'Елена',
  'Ольга',
  'Наталья',
  'Татьяна',
  'Екатерина',
  'Ирина',
  'Светлана',
  'Юлия',
  'Дарья',
  'Анастасия',
  'Марина',
  'Виктория',
  'Ксения',
];

export interface Employee {
  name: string;
  id: number;
  /** Internal extension number, e.g. "104". */
  ext: string;
  names: readonly string[];
  refs: readonly EmployeeRef[];
  /** Index of this employee's coach, or -1. */
  coach: number;
}

export interface Line {
  number: string;
  comment: string | null;
  /** Indexes of the employees the line rings. */
  group: readonly number[];
}

export interface Staff {
  employees: readonly Employee[];
  lines: readonly Line[];
  lineCum: Float64Array;
}

export function makeStaff(seed: number, employeeCount: number, lineCount: number): Staff {
  const rand = mulberry32(hash32(seed, 0x5eed5eed));
  const names = new Set<string>();
  const employees: Employee[] = [];
  while (employees.length < employeeCount) {
    const female = rand() < 0.55;
    const surname = SURNAMES[Math.floor(rand() * SURNAMES.length)] ?? 'Иванов';
    const first = female
      ? (FEMALE_NAMES[Math.floor(rand() * FEMALE_NAMES.length)] ?? 'Мария')
      : (MALE_NAMES[Math.floor(rand() * MALE_NAMES.length)] ?? 'Иван');
    const name = `${female ? `${surname}а` : surname} ${first}`;
    if (names.has(name)) continue;
    names.add(name);
    const k = employees.length;
    const id = 100_000 + k * 7 + Math.floor(rand() * 7);
    employees.push({
      name,
      id,
      ext: String(101 + k),
      names: Object.freeze([name]),
      refs: Object.freeze([Object.freeze({ employee_full_name: name, employee_id: id })]),
      coach: -1,
    });
  }
  // The first few employees are seniors; about a fifth of the others are trainees with a coach.
  const seniors = Math.max(1, Math.floor(employeeCount / 6));
  for (let k = seniors; k < employees.length; k++) {
    const e = employees[k];
    if (e && rand() < 0.2) e.coach = Math.floor(rand() * seniors);
  }
  const lines: Line[] = [];
  const weights: number[] = [];
  for (let i = 0; i < lineCount; i++) {
    const prefix = rand() < 0.7 ? '7495' : '7499';
    const number = prefix + String(Math.floor(rand() * 1e7)).padStart(7, '0');
    // The last of many lines has no note, as real accounts often do.
    const comment = i === lineCount - 1 && lineCount > 3 ? null : (LINE_COMMENTS[i] ?? null);
    const group: number[] = [];
    for (let k = 0; k < employeeCount; k++) if (rand() < 0.5 || k % lineCount === i) group.push(k);
    lines.push({ number, comment, group });
    weights.push(1 / (i + 1) ** 0.8);
  }
  return { employees, lines, lineCum: cumulative(weights) };
}
